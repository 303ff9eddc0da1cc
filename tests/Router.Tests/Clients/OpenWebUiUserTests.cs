using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Router.Tests.Clients;

/// <summary>
/// Open WebUI with ENABLE_FORWARD_USER_INFO_HEADERS through a real router: for a key with
/// trustUserHeaders the end user's id and name are recorded on the usage (GET /admin/usage?by=user)
/// and the id alone in the request log line (never the name or the e-mail); other keys' headers
/// are ignored; hostile values are bounded and cleaned, never a 500.
/// </summary>
public sealed class OpenWebUiUserTests : IAsyncLifetime
{
    private const string Email = "jorg.secret@example.com";
    private readonly Sims _sims = new();
    private readonly LogCapture _logs = new();
    private VllmSim.SimServer _llama = null!;

    public async Task InitializeAsync() => _llama = await _sims.StartAsync("llama");

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private RouterFactory Router() => new($$"""
        {{TestKeys.ClientsYamlWith(webui: "trustUserHeaders: true")}}
        models:
          - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{_llama.BaseAddress}}", maxConcurrent: 8 }] }
        """, _logs.AddTo);

    // What Open WebUI sends (utils/headers.py): the name percent-encoded, spaces kept.
    private static HttpRequestMessage Chat(string userId, string quotedName)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Http.Json(Http.Chat("llama")) };
        request.Headers.TryAddWithoutValidation("X-OpenWebUI-User-Id", userId);
        request.Headers.TryAddWithoutValidation("X-OpenWebUI-User-Name", quotedName);
        request.Headers.TryAddWithoutValidation("X-OpenWebUI-User-Email", Email);
        request.Headers.TryAddWithoutValidation("X-OpenWebUI-User-Role", "user");
        request.Headers.TryAddWithoutValidation("X-OpenWebUI-Chat-Id", "chat-42");
        return request;
    }

    // The request line: its category and event id are what log queries select on.
    private List<string> RequestLines() =>
        [.. _logs.Entries.Where(e => e.Category == "GpuRouter.Proxy.RequestObserver" && e.Id.Id == 1000).Select(e => e.Message)];

    private static async Task<JsonElement> UsageAsync(RouterFactory router, string query)
    {
        using var admin = router.Client(TestKeys.Admin);
        return await admin.GetFromJsonAsync<JsonElement>("/admin/usage" + query);
    }

    private static async Task<(long Prompt, long Completion)> TokensAsync(HttpResponseMessage response)
    {
        await response.ExpectAsync(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = doc.RootElement.GetProperty("usage");
        return (usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64());
    }

    [Fact]
    public async Task TrustedKey_RecordsIdAndName_ByUserSumsTheirTokens_LogHasTheIdOnly()
    {
        using var router = Router();
        using var webui = router.Client(TestKeys.WebUi);
        var jorg = new List<(long, long)>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await webui.SendAsync(Chat("7f3c-jorg", "J%C3%B6rg M%C3%BCller"));
            jorg.Add(await TokensAsync(response));
        }
        using (var ana = await webui.SendAsync(Chat("9a1e-ana", "Ana"))) await TokensAsync(ana);
        // A request Open WebUI sends for no user (a background task with the header off) counts under no user.
        using (var anonymous = await webui.PostChatAsync(Http.Chat("llama"))) await anonymous.ExpectAsync(HttpStatusCode.OK);

        var usage = await UsageAsync(router, "?by=user");
        Assert.Equal("user", usage.GetProperty("by").GetString());
        var rows = usage.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["7f3c-jorg", "9a1e-ana"], rows.Select(r => r.GetProperty("user").GetString()));
        var row = rows[0];
        Assert.Equal("Jörg Müller", row.GetProperty("name").GetString());
        Assert.Equal(2, row.GetProperty("requests").GetInt64());
        Assert.Equal(jorg.Sum(t => t.Item1), row.GetProperty("promptTokens").GetInt64());
        Assert.Equal(jorg.Sum(t => t.Item2), row.GetProperty("completionTokens").GetInt64());

        var lines = RequestLines();
        Assert.Equal(4, lines.Count);
        Assert.Equal(2, lines.Count(l => l.EndsWith(" user=7f3c-jorg", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.EndsWith(" user=9a1e-ana", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Email, StringComparison.Ordinal)
            || e.Message.Contains("Müller", StringComparison.Ordinal) || e.Message.Contains("M%C3%BCller", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UntrustedKey_HeadersAreIgnored()
    {
        using var router = Router();
        using var n8n = router.Client(TestKeys.N8n);

        using var response = await n8n.SendAsync(Chat("forged-admin", "Someone Else"));
        await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Empty((await UsageAsync(router, "?by=user")).GetProperty("rows").EnumerateArray());
        var line = Assert.Single(RequestLines());
        Assert.Matches(@" user=(\(null\))?$", line);
        Assert.DoesNotContain("forged-admin", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileHeaderValues_AreBoundedAndCleaned_NeverA500()
    {
        using var router = Router();
        using var webui = router.Client(TestKeys.WebUi);
        var longId = new string('a', 20_000);
        using (var response = await webui.SendAsync(Chat(longId, "%00%1B%5B31mEvil%0D%0AX-Injected: 1%E2%80%AE%FF%FE")))
            await response.ExpectAsync(HttpStatusCode.OK);

        // Raw bytes no client library would send: invalid UTF-8 and a control character in the values.
        using var raw = await RawHttp.ConnectAsync(router.Start());
        var body = Encoding.UTF8.GetBytes(Http.Chat("llama"));
        var head = Encoding.Latin1.GetBytes(
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: router\r\nAuthorization: Bearer {TestKeys.WebUi}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        // Latin-1 turns each char into the one byte of that value.
        var userHeaders = Encoding.Latin1.GetBytes("X-OpenWebUI-User-Id: raw-\xff\xfe-\x01id\r\nX-OpenWebUI-User-Name: Ren\xc3\xa9\xc3 \x7f\r\n\r\n");
        await raw.SendAsync((byte[])[.. head, .. userHeaders, .. body]);
        var answer = await raw.ReadResponseAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(200, answer.Status);

        var rows = (await UsageAsync(router, "?by=user")).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var bounded = rows.Single(r => r.GetProperty("user").GetString()!.StartsWith('a'));
        Assert.Equal(128, bounded.GetProperty("user").GetString()!.Length);
        Assert.Equal("[31mEvilX-Injected: 1\uFFFD\uFFFD", bounded.GetProperty("name").GetString());
        var rawRow = rows.Single(r => r.GetProperty("user").GetString()!.StartsWith("raw-", StringComparison.Ordinal));
        Assert.Equal("raw-\uFFFD\uFFFD-id", rawRow.GetProperty("user").GetString());
        Assert.Equal("René\uFFFD", rawRow.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("?by=users", "by")]
    [InlineData("?by=", "by")]
    [InlineData("?by=user&since=yesterday", "since")]
    [InlineData("?since=2026-13-45", "since")]
    public async Task AdminUsage_BadByOrSince_Is400NamingTheParameter(string query, string param)
    {
        using var router = Router();
        using var admin = router.Client(TestKeys.Admin);

        using var response = await admin.GetAsync("/admin/usage" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Http.ErrorAsync(response);
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task AdminUsage_ByClientAndByModel_SumTheTotals()
    {
        using var router = Router();
        using var webui = router.Client(TestKeys.WebUi);
        using var n8n = router.Client(TestKeys.N8n);
        var (p1, c1) = await TokensAsync(await webui.PostChatAsync(Http.Chat("llama")));
        var (p2, c2) = await TokensAsync(await n8n.PostChatAsync(Http.Chat("llama", "a longer question for the model")));

        var byClient = (await UsageAsync(router, "?by=client&since=24h")).GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("client").GetString(), r.GetProperty("requests").GetInt64(), r.GetProperty("promptTokens").GetInt64()));
        Assert.Equal([("n8n", 1L, p2), ("webui", 1L, p1)], byClient);
        var byModel = Assert.Single((await UsageAsync(router, "?by=model")).GetProperty("rows").EnumerateArray());
        Assert.Equal("llama", byModel.GetProperty("model").GetString());
        Assert.Equal(c1 + c2, byModel.GetProperty("completionTokens").GetInt64());
    }
}
