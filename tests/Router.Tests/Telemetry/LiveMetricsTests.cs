using System.Net;
using System.Text.Json;

namespace Router.Tests.Telemetry;

/// <summary>A real router in front of two simulators: what /metrics says equals the traffic sent.</summary>
public sealed class LiveMetricsTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private RouterFactory? _router;
    private VllmSim.SimServer _gpu0 = null!;
    private VllmSim.SimServer _gpu1 = null!;

    public async Task InitializeAsync()
    {
        _gpu0 = await _sims.StartAsync("llama", o => { o.MaxModelLen = 32768; o.TtftMs = 5; o.ItlMs = 1; });
        _gpu1 = await _sims.StartAsync("llama", o => { o.MaxModelLen = 8192; o.TtftMs = 5; o.ItlMs = 1; });
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            routing: { queueTimeout: 5s, streamIdleTimeout: 5s }
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "{{_gpu0.BaseAddress}}", maxModelLen: 32768, maxConcurrent: 3 }
                  - { name: llama_1, gpus: [1], endpoint: "{{_gpu1.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 6 }
            """);
    }

    public async Task DisposeAsync()
    {
        _router?.Dispose();
        await _sims.DisposeAsync();
    }

    [Fact]
    public async Task MixedTraffic_CountersEqualWhatWasSentAndWhatTheBackendReported()
    {
        using var webui = _router!.Client(TestKeys.WebUi);
        using var n8n = _router.Client(TestKeys.N8n);
        using var stranger = _router.Client("not-a-key");
        var usage = new Usage();
        for (var i = 0; i < 3; i++) usage.Add(await ChatAsync(webui, Http.Chat("llama", $"question {i}", maxTokens: 8 + i)));
        for (var i = 0; i < 2; i++) usage.Add(await StreamAsync(webui, Http.Chat("llama", $"stream {i}", stream: true, maxTokens: 6, usage: true)));
        for (var i = 0; i < 2; i++) usage.Add(await ChatAsync(n8n, Http.Chat("llama", $"batch job {i}", maxTokens: 4)));
        for (var i = 0; i < 2; i++)
        {
            using var unknown = await n8n.PostChatAsync(Http.Chat("no-such-model"));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (var refused = await stranger.PostChatAsync(Http.Chat("llama")))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var page = await SettledAsync(webui, requests: 10);

        Assert.Equal(5, page.Sum("router_requests_total",
            ("model", "llama"), ("instance", "llama_0"), ("gpu", "0"), ("source", "interactive"), ("status", "200")));
        Assert.Equal(2, page.Sum("router_requests_total",
            ("model", "llama"), ("instance", "llama_1"), ("gpu", "1"), ("source", "batch"), ("status", "200")));
        // A model the router did not resolve is not a label: clients' made-up names must not grow the series.
        Assert.Equal(2, page.Sum("router_requests_total", ("model", ""), ("instance", ""), ("source", "batch"), ("status", "404")));
        // The 401 is answered by SecurityMiddleware, which counts it with no model or instance.
        Assert.Equal(1, Assert.Single(page.Select("router_requests_total", ("status", "401"))).Value);
        Assert.Equal(usage.Prompt, page.Sum("router_tokens_total", ("model", "llama"), ("kind", "prompt")));
        Assert.Equal(usage.Completion, page.Sum("router_tokens_total", ("model", "llama"), ("kind", "completion")));
        Assert.True(usage.Prompt > 0 && usage.Completion == 3 * 8 + 3 + 2 * 6 + 2 * 4, $"the simulator's usage: {usage.Prompt}/{usage.Completion}");
        Assert.Equal(5, page.Sum("router_request_duration_seconds_count", ("model", "llama"), ("instance", "llama_0")));
        Assert.Equal(2, page.Sum("router_queue_wait_seconds_count", ("model", "llama"), ("instance", "llama_1")));
        Assert.Equal(5, page.Sum("router_time_to_first_token_seconds_count", ("instance", "llama_0")));
        Assert.Equal(2, page.Sum("router_time_to_first_token_seconds_count", ("instance", "llama_1")));
        await global::Router.Tests.Eventually.TrueAsync(() => _gpu0.Stats.RequestsCompleted == 5 && _gpu1.Stats.RequestsCompleted == 2,
            "the simulators recorded every request");
        Assert.Equal(1, page.Sum("router_instance_state", ("instance", "llama_0"), ("state", "Ready")));
        Assert.Equal(0, page.Sum("router_queued_requests"));
    }

    [Fact]
    public async Task LivePage_AfterMixedTraffic_PassesPromtoolCheckMetrics()
    {
        using var webui = _router!.Client(TestKeys.WebUi);
        await ChatAsync(webui, Http.Chat("llama", "hello", maxTokens: 3));
        await StreamAsync(webui, Http.Chat("llama", "stream", stream: true, maxTokens: 3, usage: true));
        (await webui.PostChatAsync(Http.Chat("no-such-model"))).Dispose();

        var page = await SettledAsync(webui, requests: 3);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(page.Text);

        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}\n--- /metrics ---\n{page.Text}");
        Assert.Contains("router_requests_total", page.Families);
    }

    // The router counts a request after its last byte went out, so the client can be a moment ahead.
    private static async Task<MetricsPage> SettledAsync(HttpClient client, int requests)
    {
        MetricsPage page = null!;
        await global::Router.Tests.Eventually.TrueAsync(async () =>
        {
            page = await MetricsPage.ScrapeAsync(client);
            return page.Sum("router_requests_total") == requests && page.Sum("router_inflight_requests") == 0;
        }, $"/metrics counts {requests} requests and none in flight");
        return page;
    }

    private static async Task<JsonElement> ChatAsync(HttpClient client, string body)
    {
        using var response = await client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("usage").Clone();
    }

    // The usage of a stream is in its last chunk before [DONE] (stream_options.include_usage).
    private static async Task<JsonElement> StreamAsync(HttpClient client, string body)
    {
        using var response = await client.PostChatAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1].Trim());
        using var doc = JsonDocument.Parse(events[^2]["data: ".Length..]);
        return doc.RootElement.GetProperty("usage").Clone();
    }

    private sealed class Usage
    {
        public long Prompt { get; private set; }

        public long Completion { get; private set; }

        public void Add(JsonElement usage)
        {
            Prompt += usage.GetProperty("prompt_tokens").GetInt64();
            Completion += usage.GetProperty("completion_tokens").GetInt64();
        }
    }
}
