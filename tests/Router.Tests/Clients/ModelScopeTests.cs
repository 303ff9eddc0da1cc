using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Router.Tests.Clients;

/// <summary>
/// clients[].models through a real router: a scoped key sees and may use only its models (a model
/// name brings its aliases; an alias alone allows only itself); another configured model is a 403
/// model_not_allowed naming what it may use; an unknown name is a 404 that lists only those. The
/// scope is on the name sent, so at night a scoped day name is served by the fallback. Stands for
/// n8n workflows with a key scoped to a chat model and the embedding model.
/// </summary>
public sealed class ModelScopeTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _llama = null!;
    private VllmSim.SimServer _coder = null!;
    private VllmSim.SimServer _bge = null!;
    private VllmSim.SimServer _qwen = null!;

    public async Task InitializeAsync()
    {
        _llama = await _sims.StartAsync("llama");
        _coder = await _sims.StartAsync("qwen-coder");
        _bge = await _sims.StartAsync("bge-m3", o => o.EmbeddingDim = 8);
        _qwen = await _sims.StartAsync("qwen-72b");
    }

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private RouterFactory Router(string n8nScope, string webuiScope = "") => new($$"""
        {{TestKeys.ClientsYamlWith(n8n: n8nScope, webui: webuiScope)}}
        schedule: { timeZone: UTC, nightStart: "0 0 2 * * ?", nightEnd: "0 0 6 * * ?", nightFallback: qwen-72b }
        models:
          - name: llama
            aliases: [gpt-4o-mini]
            mode: day
            instances: [{ name: llama_1, gpus: [1], endpoint: "{{_llama.BaseAddress}}", maxConcurrent: 4 }]
          - name: qwen-coder
            mode: day
            instances: [{ name: coder_1, gpus: [1], endpoint: "{{_coder.BaseAddress}}", maxConcurrent: 4 }]
          - name: bge-m3
            kind: embedding
            instances: [{ name: bge_1, gpus: [1], endpoint: "{{_bge.BaseAddress}}", maxConcurrent: 4 }]
          - name: qwen-72b
            mode: night
            instances: [{ name: qwen_dual, gpus: [0, 1], endpoint: "{{_qwen.BaseAddress}}", maxConcurrent: 2 }]
        """);

    private static async Task HoldModeAsync(RouterFactory router, string mode)
    {
        using var admin = router.Client(TestKeys.Admin);
        using var response = await admin.PutAsync("/admin/mode", Http.Json($$"""{"override":"{{mode}}"}"""));
        await response.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ScopedKey_ListsAndUsesOnlyItsModels_AnotherIs403NamingThem()
    {
        using var router = Router("models: [llama, bge-m3]");
        await HoldModeAsync(router, "day");
        using var n8n = router.Client(TestKeys.N8n);
        using var webui = router.Client(TestKeys.WebUi);

        Assert.Equal(["llama", "gpt-4o-mini", "bge-m3"], await ModelIdsAsync(n8n));
        Assert.Equal(["llama", "gpt-4o-mini", "qwen-coder", "bge-m3"], await ModelIdsAsync(webui));

        using (var chat = await n8n.PostChatAsync(Http.Chat("llama"))) await chat.ExpectAsync(HttpStatusCode.OK);
        using (var alias = await n8n.PostChatAsync(Http.Chat("gpt-4o-mini"))) await alias.ExpectAsync(HttpStatusCode.OK);
        using (var embed = await n8n.PostAsync("/v1/embeddings", Http.Json("""{"model":"bge-m3","input":"hello"}""")))
            await embed.ExpectAsync(HttpStatusCode.OK);

        using var refused = await n8n.PostChatAsync(Http.Chat("qwen-coder"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var error = await Http.ErrorAsync(refused);
        Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Equal("The key of client 'n8n' may not use the model 'qwen-coder'. It may use: llama, gpt-4o-mini, bge-m3.",
            error.GetProperty("message").GetString());
        Assert.Equal(0, _coder.Stats.RequestsStarted);

        // The scope is n8n's own: webui uses qwen-coder as before.
        using var other = await webui.PostChatAsync(Http.Chat("qwen-coder"));
        await other.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ScopedKey_UnknownModel_Is404ListingOnlyItsModels()
    {
        using var router = Router("models: [llama]");
        await HoldModeAsync(router, "day");
        using var n8n = router.Client(TestKeys.N8n);

        using var response = await n8n.PostChatAsync(Http.Chat("gpt-5"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Http.ErrorAsync(response);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("The model 'gpt-5' does not exist. Available now: llama, gpt-4o-mini.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ScopeOfAnAliasAlone_AllowsTheAliasButNotTheName()
    {
        using var router = Router("models: [gpt-4o-mini]");
        await HoldModeAsync(router, "day");
        using var n8n = router.Client(TestKeys.N8n);

        Assert.Equal(["gpt-4o-mini"], await ModelIdsAsync(n8n));
        using (var alias = await n8n.PostChatAsync(Http.Chat("gpt-4o-mini"))) await alias.ExpectAsync(HttpStatusCode.OK);
        using var name = await n8n.PostChatAsync(Http.Chat("llama"));
        Assert.Equal("model_not_allowed", (await Http.ErrorAsync(name)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AtNight_AScopedDayName_IsServedByTheFallbackOutsideTheScope()
    {
        using var router = Router("models: [llama, bge-m3]");
        await HoldModeAsync(router, "night");
        using var n8n = router.Client(TestKeys.N8n);

        // Listed as at night for everyone (the day names the fallback serves), within the scope.
        Assert.Equal(["llama", "gpt-4o-mini", "bge-m3"], await ModelIdsAsync(n8n));
        using var response = await n8n.PostChatAsync(Http.Chat("llama"));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("qwen-72b", response.Header("X-Router-Fallback"));
        // The fallback itself is not in the scope, so it cannot be named directly.
        using var direct = await n8n.PostChatAsync(Http.Chat("qwen-72b"));
        Assert.Equal("model_not_allowed", (await Http.ErrorAsync(direct)).GetProperty("code").GetString());
        // An always-served model in the scope is served at night as by day.
        using var embed = await n8n.PostAsync("/v1/embeddings", Http.Json("""{"model":"bge-m3","input":"hi"}"""));
        Assert.Equal(HttpStatusCode.OK, embed.StatusCode);
    }

    private static async Task<List<string>> ModelIdsAsync(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        return [.. list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
    }
}
