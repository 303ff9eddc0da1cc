using GpuRouter.Docker;
using GpuRouter.Lifecycle;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

[Collection(DockerEngineCollection.Name)]
public sealed class DockerLogsTests : IAsyncLifetime
{
    // Stdout and stderr are copied by separate daemon goroutines; a pause between lines keeps
    // the logged order the written order.
    private static readonly string[] InterleavedScript =
        ["out", "o1", "sleep", "30", "err", "e1", "sleep", "30", "out", "o2", "sleep", "30", "err", "e2", "sleep", "30", "out", "o3"];

    private readonly DockerEngineClient _client = DockerTestImage.CreateClient();
    private readonly TestContainers _containers;

    public DockerLogsTests() => _containers = new TestContainers(_client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task GetLogsTail_StdoutAndStderr_LinesInLoggedOrder()
    {
        var (id, _) = await _containers.RunAsync(InterleavedScript);
        Assert.Equal(0, await _client.WaitContainerAsync(id, default));

        Assert.Equal("o1\ne1\no2\ne2\no3\n", await _client.GetLogsTailAsync(id, 100, default));
        Assert.Equal("o2\ne2\no3\n", await _client.GetLogsTailAsync(id, 3, default));
    }

    [Fact]
    public async Task GetLogsTail_CudaOomOnStderrAmidStdout_StaysWhereItWasWrittenAndReadsAsOom()
    {
        // As vLLM dies: progress on stdout, the traceback's last line on stderr, a shutdown line after it.
        const string oom = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB";
        var (id, _) = await _containers.RunAsync(["out", "INFO loading weights", "sleep", "30", "err", oom, "sleep", "30", "out", "INFO shutting down", "exit", "1"]);
        Assert.Equal(1, await _client.WaitContainerAsync(id, default));

        var logs = await _client.GetLogsTailAsync(id, 20, default);

        Assert.Equal($"INFO loading weights\n{oom}\nINFO shutting down\n", logs);
        Assert.Equal($"{oom}\nINFO shutting down\n", await _client.GetLogsTailAsync(id, 2, default));
        Assert.True(OutOfMemory.IsOom(oomKilled: false, exitCode: 1, logs));
        Assert.Equal($"{oom} | INFO shutting down", LogExcerpt.Relevant(logs));
    }

    [Fact]
    public async Task GetLogsTail_TtyContainer_ReturnsRawText()
    {
        var (id, _) = await _containers.RunAsync(["out", "t1", "err", "t2", "out", "t3"], tty: true);
        Assert.Equal(0, await _client.WaitContainerAsync(id, default));

        var logs = await _client.GetLogsTailAsync(id, 2, default);

        // A TTY turns newlines into CRLF.
        Assert.Equal("t2\nt3\n", logs.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetLogsTail_MissingContainer_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<DockerApiException>(() => _client.GetLogsTailAsync(_containers.NewName(), 5, default));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }
}
