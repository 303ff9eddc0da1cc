using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Router.Tests.Telemetry;

namespace Router.Tests.Requests;

/// <summary>
/// Bodies Kestrel cannot read, caused for real over a bare socket: announced longer than sent
/// (the client half-closes or goes silent) or trickled below server.minRequestBodyRate. Each is
/// Kestrel's own status in OpenAI's shape, logged without a stack, counted, and never a 500.
/// </summary>
public sealed class UnreadableBodyTests : IAsyncLifetime
{
    private const string Chat = """{"model":"llama","messages":[{"role":"user","content":"hello"}]}""";
    private readonly Sims _sims = new();
    private readonly LogCapture _logs = new();
    private readonly ArrivalProbe _arrivals = new();
    private VllmSim.SimServer _sim = null!;
    private RouterFactory _router = null!;

    public static TheoryData<string, string> BodyRoutes => new()
    {
        { "POST", "/v1/chat/completions" },
        { "POST", "/v1/completions" },
        { "POST", "/v1/responses" },
        { "POST", "/v1/embeddings" },
        { "POST", "/v1/rerank" },
        { "POST", "/rerank" },
        { "PUT", "/admin/mode" },
    };

    public async Task InitializeAsync()
    {
        _sim = await _sims.StartAsync("llama");
        // A test-sized rate: 100 bytes/s after 2 s (production: Kestrel's 240 bytes/s after 5 s).
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            server: { minRequestBodyRate: 100, requestBodyGracePeriod: 2s }
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{_sim.BaseAddress}}" }] }
            """, services => { _logs.AddTo(services); _arrivals.AddTo(services); });
        _router.Start();
        // Start-up's own lines (NVML missing on this machine, a warning) are not the subject here.
        _logs.Entries.Clear();
    }

    public async Task DisposeAsync()
    {
        _router.Dispose();
        await _sims.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task MalformedChunkedBody_Is400InOpenAiShape(string method, string path)
    {
        using var raw = await RawHttp.ConnectAsync(_router.Start());
        await raw.SendHeadAsync(method, path, $"Authorization: Bearer {TestKeys.Admin}", "Content-Type: application/json", "Transfer-Encoding: chunked");
        // A chunk size that is not hexadecimal: Kestrel refuses the framing.
        await raw.SendAsync("zz\r\n" + Chat + "\r\n0\r\n\r\n");
        var response = await raw.ReadResponseAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request_body", Error(response).GetProperty("code").GetString());
        await AssertCountedAndQuietAsync(400);
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task BodyShorterThanAnnounced_ClientHalfCloses_IsAClientGoneNotA500(string method, string path)
    {
        using var raw = await RawHttp.ConnectAsync(_router.Start());
        await raw.SendHeadAsync(method, path, $"Authorization: Bearer {TestKeys.Admin}", "Content-Type: application/json", "Content-Length: 9999");
        await raw.SendAsync(Chat);
        raw.HalfClose();

        // Kestrel takes a FIN for a client that left and closes without answering: nothing to send a 400 to.
        Assert.Equal(0, await raw.ReadToEndAsync(TimeSpan.FromSeconds(30)));
        using var client = _router.Client(TestKeys.WebUi);
        if (path != "/admin/mode")
        {
            // Counted once, as what Kestrel saw first: the client gone (499), or the body cut short (400).
            await Eventually.TrueAsync(async () =>
            {
                var page = await MetricsPage.ScrapeAsync(client);
                return page.Sum("router_requests_total", ("model", ""), ("status", "499")) + page.Sum("router_requests_total", ("model", ""), ("status", "400")) == 1;
            }, "the request was counted as client_gone (499) or as a cut body (400)");
        }
        Assert.Equal(0, (await MetricsPage.ScrapeAsync(client)).Sum("router_requests_total", ("status", "500")));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning || e.Exception is not null);
    }

    [Theory]
    [InlineData("POST", "/v1/chat/completions")]
    [InlineData("PUT", "/admin/mode")]
    public async Task BodyShorterThanAnnounced_ClientGoesSilent_Is408(string method, string path)
    {
        using var raw = await RawHttp.ConnectAsync(_router.Start());
        await raw.SendHeadAsync(method, path, $"Authorization: Bearer {TestKeys.Admin}", "Content-Type: application/json", "Content-Length: 9999");
        await raw.SendAsync(Chat);
        var response = await raw.ReadResponseAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(408, response.Status);
        Assert.Equal("request_timeout", Error(response).GetProperty("code").GetString());
        await AssertCountedAndQuietAsync(408);
    }

    [Fact]
    public async Task BodyTrickledBelowTheMinimumRate_Is408AndTheClientIsCutOff()
    {
        using var raw = await RawHttp.ConnectAsync(_router.Start());
        var body = Encoding.UTF8.GetBytes(Chat + new string(' ', 2000));
        await raw.SendHeadAsync("POST", "/v1/chat/completions", $"Authorization: Bearer {TestKeys.WebUi}",
            "Content-Type: application/json", $"Content-Length: {body.Length}");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // 20 bytes a second: a fifth of the minimum; the whole body would take 100 s.
        var reading = raw.ReadResponseAsync(TimeSpan.FromSeconds(60));
        var trickling = raw.TrickleAsync(body, TimeSpan.FromMilliseconds(50), stop.Token);
        var response = await reading;
        await stop.CancelAsync();
        await trickling;

        Assert.Equal(408, response.Status);
        Assert.Equal("request_timeout", Error(response).GetProperty("code").GetString());
        Assert.Equal(0, _sim.Stats.RequestsStarted);
        await AssertCountedAndQuietAsync(408);
    }

    [Fact]
    public async Task ClientResetsMidBody_IsCountedAsGoneAndNothingIsLoggedAsAnError()
    {
        using (var raw = await RawHttp.ConnectAsync(_router.Start()))
        {
            await raw.SendHeadAsync("POST", "/v1/chat/completions", $"Authorization: Bearer {TestKeys.WebUi}",
                "Content-Type: application/json", "Content-Length: 9999");
            await raw.SendAsync(Chat);
            await _arrivals.ArrivedAsync("/v1/chat/completions");
            raw.Reset();
        }
        using var client = _router.Client(TestKeys.WebUi);
        await Eventually.TrueAsync(async () => (await MetricsPage.ScrapeAsync(client)).Sum("router_requests_total", ("model", ""), ("status", "499")) == 1,
            "the reset request was counted as client_gone (499)");
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    private async Task AssertCountedAndQuietAsync(int status)
    {
        using var client = _router.Client(TestKeys.WebUi);
        var page = await MetricsPage.ScrapeAsync(client);
        Assert.Equal(1, page.Sum("router_requests_total", ("model", ""), ("instance", ""), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(0, page.Sum("router_requests_total", ("status", "500")));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning || e.Exception is not null);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains($" {status}", StringComparison.Ordinal));
    }

    private static JsonElement Error(RawResponse response)
    {
        Assert.StartsWith("application/json", response.Headers["content-type"], StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(response.Body);
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        return error;
    }
}
