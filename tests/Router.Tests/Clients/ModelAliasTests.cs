using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Router.Tests.Clients;

/// <summary>
/// models[].aliases through a real router: an alias is served as the model (the backend only ever
/// sees the model's own name, and its answer names it), is listed in /v1/models, and at night is
/// served by the fallback like the name. Stands for a tool built on OpenAI's SDK that sends
/// gpt-4o-mini and cannot be told another name.
/// </summary>
public sealed class ModelAliasTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _llama = null!;
    private VllmSim.SimServer _qwen = null!;

    public async Task InitializeAsync()
    {
        _llama = await _sims.StartAsync("llama", o => o.ItlMs = 2);
        _qwen = await _sims.StartAsync("qwen-72b", o => o.ItlMs = 2);
    }

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private RouterFactory Router() => new($$"""
        {{TestKeys.ClientsYaml}}
        schedule: { timeZone: UTC, nightStart: "0 0 2 * * ?", nightEnd: "0 0 6 * * ?", nightFallback: qwen-72b }
        models:
          - name: llama
            aliases: [gpt-4o-mini, llama3.1]
            mode: day
            instances:
              - { name: llama_0, gpus: [0], endpoint: "{{_llama.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 4 }
          - name: qwen-72b
            mode: night
            instances:
              - { name: qwen_dual, gpus: [0, 1], endpoint: "{{_qwen.BaseAddress}}", maxModelLen: 16384, maxConcurrent: 2 }
        """);

    [Fact]
    public async Task OpenAiSdkSendingAnAlias_IsServedByTheModel_PlainAndStreamed()
    {
        using var router = Router();
        // Day mode whatever the wall clock says.
        using var admin = router.Client(TestKeys.Admin);
        (await admin.PutAsync("/admin/mode", Http.Json("""{"override":"day"}"""))).Dispose();
        var sdk = new OpenAIClient(new ApiKeyCredential(TestKeys.N8n), new OpenAIClientOptions { Endpoint = new Uri(router.Start(), "/v1") });
        var chat = sdk.GetChatClient("gpt-4o-mini");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Say something")], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
        Assert.Equal("llama", completion.Model);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        var streamedModel = "";
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Stream something")], new ChatCompletionOptions { MaxOutputTokenCount = 4 }))
            streamedModel = update.Model ?? streamedModel;
        Assert.Equal("llama", streamedModel);
        // The backend only knows its own name: had the alias reached it, it would have answered 404.
        await Eventually.TrueAsync(() => _llama.Stats.RequestsCompleted == 2, "llama's simulator answered both");

        var usage = await admin.GetFromJsonAsync<JsonElement>("/admin/usage");
        var row = usage.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("client").GetString() == "n8n");
        Assert.Equal("llama", row.GetProperty("model").GetString());
        Assert.Equal(2, row.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Models_ListsTheAliasesBesideTheName_ByDayAndAtNight()
    {
        using var router = Router();
        using var admin = router.Client(TestKeys.Admin);
        using var client = router.Client(TestKeys.WebUi);

        (await admin.PutAsync("/admin/mode", Http.Json("""{"override":"day"}"""))).Dispose();
        var day = await ModelsAsync(client);
        Assert.Equal(["llama", "gpt-4o-mini", "llama3.1"], day.Select(m => m.Id));
        Assert.All(day, m => Assert.Equal(8192, m.MaxModelLen));

        (await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}"""))).Dispose();
        Assert.Equal(["llama", "gpt-4o-mini", "llama3.1", "qwen-72b"], (await ModelsAsync(client)).Select(m => m.Id));
    }

    [Fact]
    public async Task AliasAtNight_IsServedByTheFallback()
    {
        using var router = Router();
        using var admin = router.Client(TestKeys.Admin);
        (await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}"""))).Dispose();
        using var client = router.Client(TestKeys.WebUi);

        using var response = await client.PostChatAsync(Http.Chat("gpt-4o-mini", maxTokens: 3));

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("qwen-72b", response.Header("X-Router-Fallback"));
        Assert.Equal("qwen_dual", response.Header("X-Router-Instance"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("qwen-72b", doc.RootElement.GetProperty("model").GetString());
        Assert.Equal(0, _llama.Stats.RequestsStarted);
    }

    private static async Task<List<(string Id, int MaxModelLen)>> ModelsAsync(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        return [.. list.GetProperty("data").EnumerateArray().Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("max_model_len").GetInt32()))];
    }
}
