using System.Net;
using System.Text.Json;
using Router.Tests.Fixtures;

namespace Router.Tests.Lifecycle;

[Collection(DockerEngineCollection.Name)]
public class NightSwitchTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _docker.DisposeAsync();

    // The schedule never fires during a test (2099); the switch is driven by the admin override.
    private string Config(string drainTimeout = "30s", int itlMs = 20) => _docker.Config($$"""
          - name: llama
            mode: day
            image: {{DockerCli.SimImage}}
            hfModel: sim/llama
            args: ["--itl-ms", "{{itlMs}}"]
            instances:
              - { name: {{_docker.Name("llama_0")}}, gpus: [0], maxModelLen: 8192, maxConcurrent: 32, maxQueue: 64, gpuMemoryUtilization: 0.6 }
          - name: qwen-72b
            mode: night
            image: {{DockerCli.SimImage}}
            hfModel: Qwen/Qwen2.5-72B-Instruct-AWQ
            args: ["--quantization", "awq", "--load-seconds", "1"]
            instances:
              - { name: {{_docker.Name("qwen_72b_dual")}}, gpus: [0, 1], maxModelLen: 16384, maxConcurrent: 4, gpuMemoryUtilization: 0.95, preload: true }
        """, routing: $", drainTimeout: {drainTimeout}") + """

        schedule: { timeZone: UTC, nightStart: "0 0 2 1 1 ? 2099", nightEnd: "0 0 6 1 1 ? 2099", nightFallback: qwen-72b }
        """;

    [Fact]
    public async Task SwitchWithStreamsInFlight_EveryStreamCompletesAndTheNightModelServes()
    {
        var router = _docker.Start(Config());
        using var client = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose(); // warm: llama_0 is running

        // 300 tokens at 20 ms: seconds of streaming left once the router holds all twenty.
        var streams = Enumerable.Range(0, 20).Select(i => ReadStreamAsync(client, Http.Chat("llama", $"stream {i}", stream: true, maxTokens: 300))).ToList();
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/instances")).Contains("\"inFlight\":20", StringComparison.Ordinal),
            "twenty streams are in flight", 30_000);
        using var put = await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}"""));
        await put.ExpectAsync(HttpStatusCode.OK);
        var switchStarted = Environment.TickCount64;

        // Arrives mid-switch: waits for the 72B's start and is then served.
        using var midSwitch = await client.PostChatAsync(Http.Chat("qwen-72b", "resume please"));
        var results = await Task.WhenAll(streams);
        Assert.All(results, stream =>
        {
            // Still running when the switch began: the drain is what let them finish.
            Assert.True(stream.EndedAt > switchStarted, "a stream had ended before the switch began");
            Assert.EndsWith("data: [DONE]", stream.Text.TrimEnd(), StringComparison.Ordinal);
            Assert.DoesNotContain("\"error\"", stream.Text, StringComparison.Ordinal);
        });
        await midSwitch.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("0,1", midSwitch.Header("X-Router-Gpu"));

        using var fallback = await client.PostChatAsync(Http.Chat("llama", "day model at night"));
        await fallback.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(_docker.Name("qwen_72b_dual"), fallback.Header("X-Router-Instance"));
        Assert.Equal("qwen-72b", fallback.Header("X-Router-Fallback"));
        Assert.Empty(await DockerCli.ContainersAsync(_docker.Name("llama_0")));

        var cmd = await DockerCli.RunAsync("inspect", "--format", "{{json .Config.Cmd}}|{{.HostConfig.IpcMode}}", _docker.Name("qwen_72b_dual"));
        Assert.Contains("\"--tensor-parallel-size\",\"2\"", cmd, StringComparison.Ordinal);
        Assert.EndsWith("|host", cmd, StringComparison.Ordinal);

        using var mode = JsonDocument.Parse(await admin.GetStringAsync("/admin/mode"));
        var last = mode.RootElement.GetProperty("lastSwitch");
        Assert.Equal("done", last.GetProperty("phase").GetString());
        Assert.True(last.GetProperty("drainMs").GetDouble() > 0);
    }

    [Fact]
    public async Task DrainTimeout_LongStreamsEndWithAnErrorFrameNotACutSocket()
    {
        var router = _docker.Start(Config(drainTimeout: "1s", itlMs: 50));
        using var client = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        var streams = Enumerable.Range(0, 3).Select(i => ReadStreamAsync(client, Http.Chat("llama", $"long {i}", stream: true, maxTokens: 2000))).ToList();
        // Streaming, not waiting for the cold start: a request waiting for a start counts as in flight too,
        // and a switch that stops an instance still starting fails its waiters instead of cutting streams.
        await Eventually.TrueAsync(async () =>
        {
            var instances = await admin.GetStringAsync("/admin/instances");
            return instances.Contains("\"inFlight\":3", StringComparison.Ordinal) && instances.Contains("\"state\":\"Ready\"", StringComparison.Ordinal);
        }, "three streams are running", 30_000);
        (await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}"""))).Dispose();
        foreach (var stream in await Task.WhenAll(streams))
        {
            var events = stream.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("data: [DONE]", events[^1]);
            Assert.StartsWith("data: {\"error\":", events[^2], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DayModelAtNightWithoutFallback_Is503NamingWhenItReturns()
    {
        var router = _docker.Start(Config().Replace(", nightFallback: qwen-72b", "", StringComparison.Ordinal));
        using var client = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        (await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}"""))).Dispose();
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var message = (await Http.ErrorAsync(response)).GetProperty("message").GetString()!;
        Assert.Contains("day mode", message, StringComparison.Ordinal);
        Assert.Contains("qwen-72b", message, StringComparison.Ordinal);
    }

    // The stream's text and when it ended (Environment.TickCount64).
    private static async Task<(string Text, long EndedAt)> ReadStreamAsync(HttpClient client, string body)
    {
        using var response = await client.PostChatAsync(body);
        await response.ExpectAsync(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        return (text, Environment.TickCount64);
    }
}
