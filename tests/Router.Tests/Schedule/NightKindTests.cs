using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Router.Tests.Schedule;

/// <summary>
/// A real router at night in front of simulators: the night fallback (a chat model) stands in for
/// day chat models only; a day embedding model is a 503 until the night ends, or for 300 s while
/// an operator holds the mode, and never a 400 from the wrong kind of model.
/// </summary>
public sealed class NightKindTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _llama = null!;
    private VllmSim.SimServer _bge = null!;
    private VllmSim.SimServer _qwen = null!;

    public async Task InitializeAsync()
    {
        _llama = await _sims.StartAsync("llama");
        _bge = await _sims.StartAsync("bge-m3");
        _qwen = await _sims.StartAsync("qwen-72b");
    }

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    [Fact]
    public async Task OperatorHoldsNight_DayEmbeddingModelIs503For300SecondsAndChatFallsBack()
    {
        using var router = Router("""{ timeZone: UTC, nightStart: "0 0 2 * * ?", nightEnd: "0 0 6 * * ?", nightFallback: qwen-72b }""");
        using var admin = router.Client(TestKeys.Admin);
        (await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}"""))).Dispose();
        using var client = router.Client(TestKeys.N8n);

        using var embeddings = await client.PostAsync("/v1/embeddings", Http.Json("""{"model":"bge-m3","input":"hello"}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, embeddings.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(300), embeddings.Headers.RetryAfter?.Delta);
        var error = await Http.ErrorAsync(embeddings);
        Assert.Equal("model_not_served_now", error.GetProperty("code").GetString());
        Assert.Contains("an operator holds the router in night mode", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var chat = await client.PostChatAsync(Http.Chat("llama"));
        await chat.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("qwen-72b", chat.Header("X-Router-Fallback"));

        // The wrong endpoint for the model's kind stays a 400 whatever the mode.
        using var wrong = await client.PostChatAsync(Http.Chat("bge-m3"));
        Assert.Equal("wrong_endpoint", (await Http.ErrorAsync(wrong)).GetProperty("code").GetString());

        var listed = await ModelIdsAsync(client);
        Assert.Equal(["llama", "qwen-72b"], listed);
        Assert.Equal(0, _bge.Stats.RequestsStarted + _llama.Stats.RequestsStarted);
        Assert.Equal(1, _qwen.Stats.RequestsStarted);
    }

    [Fact]
    public async Task ScheduledNight_DayEmbeddingModelIs503UntilTheNightEnds()
    {
        // A night window around now, in whole hours of UTC: it ends at the top of an hour one to two hours away.
        var now = DateTimeOffset.UtcNow;
        var start = (now.Hour + 23) % 24;
        var end = (now.Hour + 2) % 24;
        var nightEnds = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(2);
        using var router = Router($$"""{ timeZone: UTC, nightStart: "0 0 {{start}} * * ?", nightEnd: "0 0 {{end}} * * ?", nightFallback: qwen-72b }""");
        using var client = router.Client(TestKeys.N8n);

        using var embeddings = await client.PostAsync("/v1/embeddings", Http.Json("""{"model":"bge-m3","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, embeddings.StatusCode);
        var retry = embeddings.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
        Assert.InRange(retry, nightEnds - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5), nightEnds - now + TimeSpan.FromSeconds(1));
        var message = (await Http.ErrorAsync(embeddings)).GetProperty("message").GetString();
        Assert.Contains($"night mode until {nightEnds.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC", message, StringComparison.Ordinal);
        Assert.Equal(0, _bge.Stats.RequestsStarted);
    }

    private RouterFactory Router(string schedule) => new($$"""
        {{TestKeys.ClientsYaml}}
        schedule: {{schedule}}
        models:
          - { name: llama, mode: day, instances: [{ name: llama_0, gpus: [0], endpoint: "{{_llama.BaseAddress}}" }] }
          - { name: bge-m3, kind: embedding, mode: day, instances: [{ name: bge_m3_1, gpus: [1], endpoint: "{{_bge.BaseAddress}}" }] }
          - { name: qwen-72b, mode: night, instances: [{ name: qwen_72b_dual, gpus: [0, 1], endpoint: "{{_qwen.BaseAddress}}" }] }
        """);

    private static async Task<List<string>> ModelIdsAsync(HttpClient client)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/models", UriKind.Relative)));
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
    }
}
