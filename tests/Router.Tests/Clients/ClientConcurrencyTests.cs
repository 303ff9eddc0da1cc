using System.Net;
using System.Net.Sockets;
using Router.Tests.Docker;
using Router.Tests.Gpu;

namespace Router.Tests.Clients;

/// <summary>
/// clients[].maxConcurrent through a real router in front of simulators: what counts is every
/// request of the key the router holds (queued or in flight, on any instance); one more is a 429
/// with Retry-After; and the place is given back however a request ends (answered, failed at the
/// backend, refused by a full queue, cut off by the client, failed cold start), so no count leaks.
/// Stands for a runaway n8n workflow (or script) that must not take every slot of a GPU.
/// </summary>
public sealed class ClientConcurrencyTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _slowLlama = null!;
    private VllmSim.SimServer _slowQwen = null!;
    private VllmSim.SimServer _fast = null!;

    public async Task InitializeAsync()
    {
        // Slow enough that nothing finishes by itself while the test looks; streams can be cut off.
        _slowLlama = await _sims.StartAsync("llama", o => { o.TtftMs = 60_000; });
        _slowQwen = await _sims.StartAsync("qwen", o => { o.TtftMs = 60_000; });
        _fast = await _sims.StartAsync("fast");
    }

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private RouterFactory Router(string n8n, string extraModels = "") => new($$"""
        {{TestKeys.ClientsYamlWith(n8n: n8n)}}
        routing: { queueTimeout: 2m, streamIdleTimeout: 2m }
        models:
          - name: llama
            instances:
              - { name: llama_1, gpus: [1], endpoint: "{{_slowLlama.BaseAddress}}", maxConcurrent: 1, maxQueue: 8 }
          - name: qwen
            instances:
              - { name: qwen_1, gpus: [1], endpoint: "{{_slowQwen.BaseAddress}}", maxConcurrent: 4 }
          - name: fast
            instances:
              - { name: fast_1, gpus: [1], endpoint: "{{_fast.BaseAddress}}", maxConcurrent: 4 }
        {{extraModels}}
        """);

    [Fact]
    public async Task QueuedAndInFlightOnTwoInstances_Count_OneMoreIs429_OtherClientsGoOn_AndCutOffRequestsGiveTheirPlacesBack()
    {
        using var router = Router("maxConcurrent: 3");
        using var n8n = router.Client(TestKeys.N8n);
        using var cut = new CancellationTokenSource();
        // One in flight on llama_1, one queued behind it (llama_1 takes one at a time), one in flight on qwen_1.
        var held = new[]
        {
            n8n.PostChatAsync(Http.Chat("llama"), cut.Token),
            n8n.PostChatAsync(Http.Chat("llama"), cut.Token),
            n8n.PostChatAsync(Http.Chat("qwen"), cut.Token),
        };
        await ClientState.WaitHeldAsync(router, "n8n", 3);

        using var refused = await n8n.PostChatAsync(Http.Chat("fast"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        var error = await Http.ErrorAsync(refused);
        Assert.Equal("concurrency_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Contains("already has 3 requests", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _fast.Stats.RequestsStarted);
        Assert.Equal(3, await ClientState.GaugeAsync(router, "router_client_requests_held", "n8n"));

        // The limit is the key's own: another client is not held back by it.
        using var webui = router.Client(TestKeys.WebUi);
        using var other = await webui.PostChatAsync(Http.Chat("fast"));
        await other.ExpectAsync(HttpStatusCode.OK);

        // The workflow is stopped: its connections close, queued and in flight alike.
        await cut.CancelAsync();
        foreach (var request in held) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await ClientState.WaitHeldAsync(router, "n8n", 0);
        Assert.Equal(0, await ClientState.GaugeAsync(router, "router_client_requests_held", "n8n"));
        using var again = await n8n.PostChatAsync(Http.Chat("fast"));
        await again.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnsweredBackendErrorAndQueueFullRequests_GiveTheirPlaceBack()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var slowFull = await _sims.StartAsync("full", o => { o.TtftMs = 60_000; });
        using var router = Router("maxConcurrent: 1", $$"""
              - name: down
                instances:
                  - { name: down_1, gpus: [1], endpoint: "http://127.0.0.1:{{closedPort}}/", maxConcurrent: 1 }
              - name: full
                instances:
                  - { name: full_1, gpus: [1], endpoint: "{{slowFull.BaseAddress}}", maxConcurrent: 1, maxQueue: 0 }
            """);
        using var n8n = router.Client(TestKeys.N8n);
        using var webui = router.Client(TestKeys.WebUi);

        // With room for one request, each of these would be a 429 if the one before had kept its place.
        for (var i = 0; i < 3; i++)
        {
            using var ok = await n8n.PostChatAsync(Http.Chat("fast"));
            await ok.ExpectAsync(HttpStatusCode.OK);
            using var streamed = await n8n.PostChatAsync(Http.Chat("fast", stream: true));
            await streamed.ExpectAsync(HttpStatusCode.OK);
            Assert.Contains("[DONE]", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var backendDown = await n8n.PostChatAsync(Http.Chat("down"));
            Assert.Equal("backend_unavailable", (await Http.ErrorAsync(backendDown)).GetProperty("code").GetString());
        }

        // full_1's one slot is taken by webui and it queues nobody: n8n's request is refused after taking its place.
        using var cut = new CancellationTokenSource();
        var occupying = webui.PostChatAsync(Http.Chat("full"), cut.Token);
        await Eventually.TrueAsync(() => slowFull.Stats.RequestsStarted >= 1, "webui's request reached full_1");
        using var queueFull = await n8n.PostChatAsync(Http.Chat("full"));
        Assert.Equal("queue_full", (await Http.ErrorAsync(queueFull)).GetProperty("code").GetString());
        using var after = await n8n.PostChatAsync(Http.Chat("fast"));
        await after.ExpectAsync(HttpStatusCode.OK);
        await cut.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => occupying);

        Assert.Equal(0, await ClientState.HeldAsync(router, "n8n"));
    }

    [Fact]
    public async Task StreamCutOffByTheClientMidAnswer_GivesItsPlaceBack()
    {
        await using var sims = new Sims();
        var trickle = await sims.StartAsync("llama", o => { o.ItlMs = 500; o.DefaultMaxTokens = 200; });
        using var router = new RouterFactory($$"""
            {{TestKeys.ClientsYamlWith(n8n: "maxConcurrent: 1")}}
            routing: { streamIdleTimeout: 1m }
            models:
              - name: llama
                instances:
                  - { name: llama_1, gpus: [1], endpoint: "{{trickle.BaseAddress}}", maxConcurrent: 4 }
            """);
        using var n8n = router.Client(TestKeys.N8n);

        using (var response = await n8n.PostChatAsync(Http.Chat("llama", stream: true)))
        {
            await response.ExpectAsync(HttpStatusCode.OK);
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.True(await body.ReadAsync(new byte[64]) > 0, "the answer began");
            Assert.Equal(1, await ClientState.HeldAsync(router, "n8n"));
        }

        await ClientState.WaitHeldAsync(router, "n8n", 0);
        using var next = await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 2));
        await next.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task FailedColdStart_GivesItsPlaceBack()
    {
        using var nvml = new FakeNvml("count=2");
        // Docker answers the version, then refuses every container call: each start fails.
        await using var docker = new FakeDockerDaemon(line => line.StartsWith("GET /_ping ", StringComparison.Ordinal)
            ? FakeDockerDaemon.Text(200, "OK")
            : line.StartsWith("GET /version ", StringComparison.Ordinal)
                ? FakeDockerDaemon.Json(200, """{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}""")
                : FakeDockerDaemon.Text(500, "the fake daemon refuses container calls\n"));
        using var router = new RouterFactory(TestKeys.ClientsYamlWith(n8n: "maxConcurrent: 1") + "\n"
            + Lifecycle.GpuMemoryCheckOwnerTests.Yaml(docker.Endpoint, nvml.LibraryPath));
        using var n8n = router.Client(TestKeys.N8n);

        for (var i = 0; i < 3; i++)
        {
            using var response = await n8n.PostChatAsync(Http.Chat("llama"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            // The first start fails at Docker; later ones meet its backoff. Never the client's own 429.
            Assert.Contains((await Http.ErrorAsync(response)).GetProperty("code").GetString(), new[] { "start_failed", "start_backoff" });
        }
        Assert.Equal(0, await ClientState.HeldAsync(router, "n8n"));
    }
}
