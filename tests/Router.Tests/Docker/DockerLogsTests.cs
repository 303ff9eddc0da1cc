using GpuRouter.Docker;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

[Collection(DockerEngineCollection.Name)]
public sealed class DockerLogsTests : IAsyncLifetime
{
    // Stdout and stderr are copied by separate daemon goroutines; a pause between lines keeps
    // the logged order the written order.
    private static readonly string[] InterleavedScript =
        ["out", "o1", "sleep", "30", "err", "e1", "sleep", "30", "out", "o2", "sleep", "30", "err", "e2", "sleep", "30", "out", "o3"];

    private readonly DockerClient _client = DockerTestImage.CreateClient();
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
