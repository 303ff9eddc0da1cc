using System.Net;

namespace Router.Tests.Security;

/// <summary>
/// Browsers calling the router themselves (Open WebUI's Direct Connections): real preflights and
/// real requests with an Origin, against a router in front of a simulator that, as vLLM, allows
/// any origin on its own.
/// </summary>
public sealed class CorsTests : IAsyncLifetime
{
    private const string WebUi = "http://webui.example:3000";
    private const string Allowed = $", corsOrigins: [\"{WebUi}\"]";
    private readonly Sims _sims = new();
    private VllmSim.SimServer _sim = null!;

    public async Task InitializeAsync() => _sim = await _sims.StartAsync("llama");

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    [Fact]
    public async Task Preflight_FromAnAllowedOrigin_Is204WithoutAKey()
    {
        using var router = Router();
        using var client = router.Client();

        using var response = await client.SendAsync(Preflight(WebUi));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(WebUi, response.Header("Access-Control-Allow-Origin"));
        Assert.Contains("POST", response.Header("Access-Control-Allow-Methods"), StringComparison.Ordinal);
        var allowed = response.Header("Access-Control-Allow-Headers").ToLowerInvariant();
        Assert.Contains("authorization", allowed, StringComparison.Ordinal);
        Assert.Contains("content-type", allowed, StringComparison.Ordinal);
        Assert.Equal("600", response.Header("Access-Control-Max-Age"));
        Assert.Equal(0, _sim.Stats.RequestsStarted);
    }

    [Theory]
    [InlineData("CORS off: a preflight is a request without a key", "", "", WebUi, 401)]
    [InlineData("another origin: the middleware ends the preflight without allowing it", Allowed, "", "http://evil.example", 204)]
    [InlineData("outside the allowed networks: 403 before CORS", Allowed, ", allowedNetworks: [\"100.64.0.0/10\"]", WebUi, 403)]
    public async Task PreflightNotAllowed_GetsNoCorsHeaders(string what, string cors, string server, string origin, int status)
    {
        using var router = Router(cors, server);
        using var client = router.Client();

        using var response = await client.SendAsync(Preflight(origin));

        Assert.True((int)response.StatusCode == status, $"{what}: {(int)response.StatusCode}");
        AssertNoCors(response);
    }

    [Fact]
    public async Task EveryAnswerToAnAllowedOrigin_ErrorsIncluded_LetsThePageReadTheRouterHeaders()
    {
        using var router = Router();
        using var webui = router.Client(TestKeys.WebUi);
        using var n8n = router.Client(TestKeys.N8n);
        using var stranger = router.Client();

        using var ok = await SendAsync(webui, Http.Chat("llama"));
        await ok.ExpectAsync(HttpStatusCode.OK);
        using var noKey = await SendAsync(stranger, Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        (await SendAsync(n8n, Http.Chat("llama"))).Dispose();
        using var limited = await SendAsync(n8n, Http.Chat("llama"));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        using var notNow = await SendAsync(webui, Http.Chat("qwen-72b"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notNow.StatusCode);

        foreach (var response in new[] { ok, noKey, limited, notNow })
        {
            Assert.Equal(WebUi, response.Header("Access-Control-Allow-Origin"));
            var exposed = response.Header("Access-Control-Expose-Headers").Split(',', StringSplitOptions.TrimEntries);
            Assert.Contains("Retry-After", exposed);
            Assert.Contains("X-Router-Instance", exposed);
            Assert.Contains("X-Router-Queue-Ms", exposed);
            Assert.Contains("X-Router-Error-Origin", exposed);
        }
        Assert.Equal("llama_0", ok.Header("X-Router-Instance"));
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.NotNull(notNow.Headers.RetryAfter);
    }

    [Fact]
    public async Task ARequestFromAnotherOrigin_GetsNoCorsHeaders_NotEvenTheBackendsOwn()
    {
        using var router = Router();
        using var webui = router.Client(TestKeys.WebUi);

        using var response = await SendAsync(webui, Http.Chat("llama"), origin: "http://evil.example");

        await response.ExpectAsync(HttpStatusCode.OK);
        AssertNoCors(response);
        Assert.Equal(1, _sim.Stats.RequestsStarted);
    }

    private RouterFactory Router(string cors = Allowed, string server = "") => new($$"""
        clients:
          - { name: webui, source: interactive, keySha256: "{{TestKeys.Hash(TestKeys.WebUi)}}" }
          - { name: n8n, source: batch, keySha256: "{{TestKeys.Hash(TestKeys.N8n)}}", requestsPerMinute: 1 }
        server: { maxRequestBodyBytes: 65536 {{cors}} {{server}} }
        schedule: { timeZone: UTC, nightStart: "0 0 2 1 1 ? 2099", nightEnd: "0 0 6 1 1 ? 2099" }
        models:
          - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{_sim.BaseAddress}}" }] }
          - { name: qwen-72b, mode: night, instances: [{ name: qwen_72b_dual, gpus: [0, 1], endpoint: "{{_sim.BaseAddress}}" }] }
        """);

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string body, string origin = WebUi)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Http.Json(body) };
        request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    private static void AssertNoCors(HttpResponseMessage response) =>
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
}
