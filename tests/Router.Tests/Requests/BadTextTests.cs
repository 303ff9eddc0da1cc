using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Tests.Telemetry;

namespace Router.Tests.Requests;

/// <summary>
/// Bodies with bytes that are not UTF-8 or with a lone surrogate escape, in fields the scanner
/// reads and in fields it skips: the backend (the simulator, as vLLM) refuses them in its own way,
/// and the router refuses them first, with the field named, before any queue or backend.
/// </summary>
public sealed class BadTextTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _chat = null!;
    private VllmSim.SimServer _embed = null!;
    private RouterFactory _router = null!;

    public static TheoryData<string, string, string, string> Bodies => new()
    {
        // path, body (## = the bytes 0xFF 0xFE), the field the router names, what the backend says
        { "/v1/chat/completions", """{"model":"llama","messages":[{"role":"user","content":"hi ##"}]}""", "messages[0].content", "There was an error parsing the body" },
        { "/v1/chat/completions", """{"model":"llama","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","description":"##"}}]}""", "tools[0].function.description", "There was an error parsing the body" },
        { "/v1/completions", """{"model":"llama","prompt":["fine","##"]}""", "prompt[1]", "There was an error parsing the body" },
        { "/v1/embeddings", """{"model":"bge-m3","input":"##"}""", "input", "There was an error parsing the body" },
        { "/v1/chat/completions", """{"model":"llama","messages":[{"role":"user","content":"hi \ud800 there"}]}""", "messages[0].content", "surrogates not allowed" },
        { "/v1/chat/completions", """{"model":"llama","messages":[{"role":"system","content":"ok"},{"role":"user","content":[{"type":"text","text":"\udc00"}]}]}""", "messages[1].content[0].text", "surrogates not allowed" },
        { "/v1/embeddings", """{"model":"bge-m3","input":["\ud83d"]}""", "input[0]", "surrogates not allowed" },
    };

    public async Task InitializeAsync()
    {
        _chat = await _sims.StartAsync("llama");
        _embed = await _sims.StartAsync("bge-m3");
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{_chat.BaseAddress}}" }] }
              - { name: bge-m3, kind: embedding, instances: [{ name: bge_m3_1, gpus: [1], endpoint: "{{_embed.BaseAddress}}" }] }
            """);
    }

    public async Task DisposeAsync()
    {
        _router.Dispose();
        await _sims.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task BadText_TheBackendRefusesItAndTheRouterRefusesItFirst(string path, string template, string field, string backendSays)
    {
        var body = WithBadBytes(template);
        var backend = path == "/v1/embeddings" ? _embed : _chat;

        // What a client meets without the router: vLLM's own refusal (the simulator mirrors it).
        using var direct = new HttpClient { BaseAddress = backend.BaseAddress };
        using var fromBackend = await PostAsync(direct, path, body);
        Assert.Contains(backendSays, await fromBackend.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var backendSaw = backend.Stats.RequestsRejected;

        using var client = _router.Client(TestKeys.WebUi);
        using var response = await PostAsync(client, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("router", response.Header("X-Router-Error-Origin"));
        var error = await Http.ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(field, error.GetProperty("param").GetString());
        Assert.Equal(template.Contains("##", StringComparison.Ordinal) ? "invalid_utf8" : "lone_surrogate", error.GetProperty("code").GetString());
        Assert.Equal(backendSaw, backend.Stats.RequestsRejected);
        Assert.Equal(0, backend.Stats.RequestsStarted);
        var page = await MetricsPage.ScrapeAsync(client);
        Assert.Equal(1, page.Sum("router_requests_total", ("model", ""), ("instance", ""), ("status", "400")));
    }

    private static byte[] WithBadBytes(string template)
    {
        var at = template.IndexOf("##", StringComparison.Ordinal);
        return at < 0
            ? Encoding.UTF8.GetBytes(template)
            : [.. Encoding.UTF8.GetBytes(template[..at]), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(template[(at + 2)..])];
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return client.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
