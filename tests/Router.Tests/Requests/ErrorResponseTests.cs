using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Router.Tests.Requests;

public class ErrorResponseTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _sim = null!;

    public async Task InitializeAsync() => _sim = await _sims.StartAsync("llama", o => o.MaxModelLen = 8192);

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private RouterFactory Router(string instanceExtra = "", string routing = "", string server = "", Uri? endpoint = null, int maxModelLen = 8192) => new($$"""
        {{TestKeys.ClientsYaml}}
        server: { maxRequestBodyBytes: 65536 {{server}} }
        routing: { queueTimeout: 5s, streamIdleTimeout: 3s {{routing}} }
        models:
          - name: llama
            instances:
              - { name: llama_0, gpus: [0], endpoint: "{{endpoint ?? _sim.BaseAddress}}", maxModelLen: {{maxModelLen}}, maxConcurrent: 2 {{instanceExtra}} }
          - name: bge-m3
            kind: embedding
            instances:
              - { name: bge_m3_1, gpus: [1], endpoint: "{{_sim.BaseAddress}}", maxConcurrent: 4 }
        """);

    [Theory]
    [InlineData("{\"model\": \"llama\", \"messages\": [", "invalid_request_error")]
    [InlineData("not json at all", "invalid_request_error")]
    [InlineData("[1,2,3]", "invalid_request_error")]
    [InlineData("{\"messages\": [{\"role\":\"user\",\"content\":\"hi\"}]}", "invalid_request_error")]
    [InlineData("{\"model\": 42, \"messages\": []}", "invalid_request_error")]
    [InlineData("{\"model\": \"llama\", \"messages\": \"hi\"}", "invalid_request_error")]
    [InlineData("{\"model\": \"llama\", \"messages\": [], \"stream\": \"yes\"}", "invalid_request_error")]
    [InlineData("{\"model\": \"llama\", \"messages\": [], \"max_tokens\": -5}", "invalid_request_error")]
    [InlineData("", "invalid_request_error")]
    public async Task BadBody_Is400InOpenAiShape(string body, string type)
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostAsync("/v1/chat/completions", Http.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Http.ErrorAsync(response);
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(0, _sim.Stats.RequestsStarted);
    }

    [Fact]
    public async Task UnknownModel_Is404NamingTheModelsAvailable()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("gpt-4"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var message = (await Http.ErrorAsync(response)).GetProperty("message").GetString()!;
        Assert.Contains("gpt-4", message, StringComparison.Ordinal);
        Assert.Contains("llama", message, StringComparison.Ordinal);
        Assert.Contains("bge-m3", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbeddingModelOnChatEndpoint_Is400()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("bge-m3"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("wrong_endpoint", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task BodyOverLimit_Is413()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama", new string('x', 70_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Http.ErrorAsync(response);
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_Is413()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        var bytes = Encoding.UTF8.GetBytes(Http.Chat("llama", new string('x', 70_000)));
        var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task MissingOrWrongKey_Is401(string? key)
    {
        using var router = Router();
        using var client = router.Client(key);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AddressOutsideAllowedNetworks_Is403()
    {
        using var router = Router(server: ", allowedNetworks: [\"100.64.0.0/10\"]");
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("permission_error", (await Http.ErrorAsync(response)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task AdminRoute_WithUserKey_Is403AndWithAdminKeyAnswers()
    {
        using var router = Router();
        using var user = router.Client(TestKeys.WebUi);
        using var denied = await user.GetAsync("/admin/instances");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        using var admin = router.Client(TestKeys.Admin);
        var text = await admin.GetStringAsync("/admin/instances");
        Assert.Contains("llama_0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackendRefusesConnection_Is503FromBackend()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var router = Router(endpoint: new Uri($"http://127.0.0.1:{port}/"));
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("backend", response.Header("X-Router-Error-Origin"));
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("backend_unavailable", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Is404InOpenAiShape()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Http.ErrorAsync(response);
    }

    [Fact]
    public async Task BackendErrorStatus_PassesThrough()
    {
        // The router believes the instance holds 32K; the backend holds 8K and refuses, as vLLM does.
        using var router = Router(maxModelLen: 32768);
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync("""{"model":"llama","messages":[{"role":"user","content":"hi"}],"max_tokens":16000}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await Http.ErrorAsync(response)).GetProperty("message").GetString();
        Assert.Contains("maximum context length is 8192", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientOverItsRate_Is429WithRetryAfter()
    {
        using var router = new RouterFactory($$"""
            clients:
              - { name: n8n, source: batch, keySha256: "{{TestKeys.Hash(TestKeys.N8n)}}", requestsPerMinute: 2 }
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{_sim.BaseAddress}}", maxConcurrent: 2 }] }
            """);
        using var client = router.Client(TestKeys.N8n);
        for (var i = 0; i < 2; i++) (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        using var limited = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("rate_limit_exceeded", (await Http.ErrorAsync(limited)).GetProperty("code").GetString());
        Assert.Equal(2, _sim.Stats.RequestsStarted);
    }

    [Fact]
    public async Task UnknownRoute_SaysThereIsNoSuchRoute()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.DeleteAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Http.ErrorAsync(response);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal("No route DELETE /v1/nothing-here.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WrongMethod_NamesTheMethodToUse()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.GetAsync("/v1/chat/completions");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal("GET is not allowed on /v1/chat/completions; use POST.", (await Http.ErrorAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task WrongMethod_Is405InOpenAiShape()
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.GetAsync("/v1/chat/completions");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("method_not_allowed", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"override\":\"\\ud800\"}")]
    [InlineData("{\"override\":\"\u00ff\"}")]
    [InlineData("{\"override\":\"day\"")]
    [InlineData("{\"override\":[\"day\"]}")]
    [InlineData("{\"override\":\"noon\"}")]
    [InlineData("[{\"override\":\"day\"}]")]
    public async Task AdminModeWithABadBody_Is400(string body)
    {
        using var router = Router();
        using var admin = router.Client(TestKeys.Admin);
        var bytes = body.Contains('\u00ff', StringComparison.Ordinal) ? Encoding.Latin1.GetBytes(body) : Encoding.UTF8.GetBytes(body);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        using var response = await admin.PutAsync("/admin/mode", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("override", (await Http.ErrorAsync(response)).GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("{\"model\":\"llama\",\"messages\":" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" + "]")]
    [InlineData("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}],\"max_tokens\":99999999999999999999}")]
    [InlineData("\u0000\u0001\u0002 binary junk")]
    public async Task HostileBody_IsAClean4xx(string body)
    {
        using var router = Router();
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostAsync("/v1/chat/completions", Http.Json(body));
        Assert.InRange((int)response.StatusCode, 400, 499);
        await Http.ErrorAsync(response);
    }
}
