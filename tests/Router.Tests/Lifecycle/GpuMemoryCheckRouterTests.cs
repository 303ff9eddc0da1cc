using System.Net;
using Router.Tests.Docker;
using Router.Tests.Gpu;

namespace Router.Tests.Lifecycle;

/// <summary>
/// The GPU-memory check as production wires it: the real app built from the config (the same
/// services, factory and owners as a router on the box), NVML from the fake library, Docker a
/// fake daemon that records what reaches it. Dropping the check anywhere on that path makes the
/// start go on to Docker, which this test sees.
/// </summary>
public sealed class GpuMemoryCheckRouterTests : IAsyncDisposable
{
    private readonly FakeNvml _nvml = new("count=2");
    private readonly FakeDockerDaemon _docker = new(Answer);

    public async ValueTask DisposeAsync()
    {
        await _docker.DisposeAsync();
        _nvml.Dispose();
    }

    // Answers what the client needs to talk to it at all, and refuses every container call.
    private static string Answer(string requestLine) => requestLine switch
    {
        _ when requestLine.StartsWith("GET /_ping ", StringComparison.Ordinal) => FakeDockerDaemon.Text(200, "OK"),
        _ when requestLine.StartsWith("GET /version ", StringComparison.Ordinal) =>
            FakeDockerDaemon.Json(200, """{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"""),
        _ => FakeDockerDaemon.Text(500, "the fake daemon refuses container calls\n"),
    };

    private bool StartReachedDocker => _docker.Requests.Any(r => r.Contains("/containers/llama_0/", StringComparison.Ordinal) || r.Contains("/containers/create", StringComparison.Ordinal));

    private RouterFactory Router() => new(TestKeys.ClientsYaml + "\n" + GpuMemoryCheckOwnerTests.Yaml(_docker.Endpoint, _nvml.LibraryPath));

    [Fact]
    public async Task ColdStart_GpuHeldByAnotherProcess_Is503GpuMemoryInUseAndNoContainerIsCreated()
    {
        // 20000 MiB of the 24 GiB card held by pid 4242, which the router did not start.
        _nvml.Write("count=2", "gpu0.processes=4242:20000");
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);

        using var response = await client.PostChatAsync(Http.Chat("llama"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var error = await Http.ErrorAsync(response);
        Assert.Equal("gpu_memory_in_use", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("GPU 0 has 4.5 GiB free but llama_0 needs 14.4 GiB", message, StringComparison.Ordinal);
        Assert.Contains("pid 4242", message, StringComparison.Ordinal);
        Assert.False(StartReachedDocker, string.Join('\n', _docker.Requests));
    }

    [Fact]
    public async Task ColdStart_GpuMemoryFree_GoesOnToDocker()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);

        using var response = await client.PostChatAsync(Http.Chat("llama"));

        // The fake daemon refuses container calls: the start got past the check and failed at Docker.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("start_failed", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
        Assert.True(StartReachedDocker, string.Join('\n', _docker.Requests));
    }
}
