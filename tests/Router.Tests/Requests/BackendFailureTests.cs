using System.Net;

namespace Router.Tests.Requests;

public class BackendFailureTests : IAsyncLifetime
{
    private readonly Sims _sims = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private static RouterFactory Router(Uri endpoint, string idle = "1s") => new($$"""
        {{TestKeys.ClientsYaml}}
        routing: { queueTimeout: 5s, streamIdleTimeout: {{idle}} }
        models:
          - name: llama
            instances:
              - { name: llama_0, gpus: [0], endpoint: "{{endpoint}}", maxModelLen: 8192, maxConcurrent: 4 }
        """);

    [Fact]
    public async Task BackendDiesMidStream_ClientGetsErrorFrameThenDone()
    {
        var sim = await _sims.StartAsync("llama", o => { o.ExitAfterRequests = 1; o.ItlMs = 30; });
        using var router = Router(sim.BaseAddress, idle: "10s");
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama", "crash me", stream: true, maxTokens: 200));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.StartsWith("data: {\"error\":", events[^2], StringComparison.Ordinal);
        Assert.Contains("llama_0", events[^2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonStreamedBackendGoesSilent_Is504()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = 8000);
        using var router = Router(sim.BaseAddress, idle: "700ms");
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("backend_timeout", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
        await Eventually.TrueAsync(() => sim.Stats.Running == 0, "the abandoned request was cancelled upstream");
    }

    [Fact]
    public async Task StreamGoesSilentMidway_ClientGetsTimeoutErrorFrame()
    {
        var sim = await _sims.StartAsync("llama", o => o.ItlMs = 5000);
        using var router = Router(sim.BaseAddress, idle: "700ms");
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama", "slow", stream: true, maxTokens: 10));
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.Contains("backend_timeout", events[^2], StringComparison.Ordinal);
    }
}
