using System.Net;
using System.Text.Json;

namespace Router.Tests.Ui;

/// <summary>GET /admin/requests: the admin key, the limit, and what a finished request leaves there.</summary>
public sealed class RecentRequestsRouteTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private RouterFactory _router = null!;

    public async Task InitializeAsync()
    {
        var llama = await _sims.StartAsync("llama");
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{llama.BaseAddress}}", maxModelLen: 8192 }] }
            """);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _sims.DisposeAsync();
    }

    private async Task<JsonElement> RequestsAsync(string query = "")
    {
        using var client = _router.Client(TestKeys.Admin);
        using var response = await client.GetAsync("/admin/requests" + query);
        await response.ExpectAsync(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<HttpStatusCode> ChatAsync(string key, string model, string text = "Hello there")
    {
        using var client = _router.Client(key);
        using var response = await client.PostChatAsync(Http.Chat(model, text, maxTokens: 3));
        await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }

    [Fact]
    public async Task FinishedRequests_NewestFirst_WithWhatThePageShows()
    {
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(TestKeys.WebUi, "llama"));
        Assert.Equal(HttpStatusCode.NotFound, await ChatAsync(TestKeys.N8n, "gpt-9"));

        var doc = await RequestsAsync();

        Assert.Equal(200, doc.GetProperty("capacity").GetInt32());
        Assert.Equal(2, doc.GetProperty("total").GetInt64());
        var requests = doc.GetProperty("requests").EnumerateArray().ToList();
        Assert.Equal(2, requests.Count);
        var refused = requests[0];
        Assert.Equal("n8n", refused.GetProperty("client").GetString());
        Assert.Equal("gpt-9", refused.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("instance").ValueKind);
        Assert.Equal(404, refused.GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", refused.GetProperty("outcome").GetString());
        var served = requests[1];
        Assert.Equal("webui", served.GetProperty("client").GetString());
        Assert.Equal("llama", served.GetProperty("model").GetString());
        Assert.Equal("llama_0", served.GetProperty("instance").GetString());
        Assert.Equal("0", served.GetProperty("gpu").GetString());
        Assert.Equal(200, served.GetProperty("status").GetInt32());
        Assert.Equal(3, served.GetProperty("completionTokens").GetInt64());
        Assert.True(served.GetProperty("promptTokens").GetInt64() > 0);
        Assert.True(served.GetProperty("durationMs").GetDouble() > 0);
        Assert.Equal(0, served.GetProperty("queueMs").GetDouble());
        Assert.Equal(JsonValueKind.Null, served.GetProperty("coldStartMs").ValueKind);
        Assert.Equal("ok", served.GetProperty("outcome").GetString());
        var at = served.GetProperty("at").GetDateTimeOffset();
        Assert.InRange(at, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Limit_TakesTheNewest_AndIsCappedAtTheCapacity()
    {
        for (var i = 0; i < 3; i++) await ChatAsync(TestKeys.WebUi, "llama", $"request {i}");

        Assert.Single((await RequestsAsync("?limit=1")).GetProperty("requests").EnumerateArray());
        Assert.Equal(3, (await RequestsAsync("?limit=100000")).GetProperty("requests").GetArrayLength());
    }

    [Theory]
    [InlineData(null, 401, "invalid_api_key")]
    [InlineData(TestKeys.WebUi, 403, "admin_only")]
    public async Task WithoutTheAdminKey_Refused(string? key, int status, string code)
    {
        using var client = _router.Client(key);

        using var response = await client.GetAsync("/admin/requests");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=-1")]
    [InlineData("?limit=abc")]
    [InlineData("?limit=1.5")]
    [InlineData("?limit=")]
    [InlineData("?limit=99999999999999")]
    [InlineData("?limit=1&limit=2")]
    [InlineData("?limit=%F0%9F%98%80")]
    public async Task BadLimit_400_NamingIt(string query)
    {
        using var client = _router.Client(TestKeys.Admin);

        using var response = await client.GetAsync("/admin/requests" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Http.ErrorAsync(response);
        Assert.Equal("limit", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }
}
