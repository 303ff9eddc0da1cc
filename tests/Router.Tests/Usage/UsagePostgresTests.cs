using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Router.Tests.Usage;

public class UsagePostgresTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _gpu0 = null!;
    private VllmSim.SimServer _gpu1 = null!;

    public async Task InitializeAsync()
    {
        _gpu0 = await _sims.StartAsync("llama", o => o.MaxModelLen = 32768);
        _gpu1 = await _sims.StartAsync("llama");
    }

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    [Fact]
    public async Task Requests_LandInUsageEvents_WithClientModelInstanceStatusAndTheSimulatorsTokens()
    {
        var cs = await cluster.CreateDatabaseAsync();
        using var router = UsageRouter.Create(cs, _gpu0, _gpu1);
        using var webui = router.Client(TestKeys.WebUi);
        using var n8n = router.Client(TestKeys.N8n);

        var expected = new List<ExpectedRow>
        {
            await UsageTraffic.ChatAsync(webui, "webui"),
            await UsageTraffic.ChatAsync(webui, "webui", stream: true),
            await UsageTraffic.ChatAsync(n8n, "n8n"),
            await UsageTraffic.ChatAsync(n8n, "n8n", model: "no-such-model"),
        };

        await UsageDb.WaitForCountAsync(cs, expected.Count);
        var rows = await UsageDb.RowsAsync(cs);
        Assert.Equal(UsageTraffic.Sorted(expected), UsageTraffic.Sorted(rows.Select(ExpectedRow.Of)));
        Assert.Contains(expected, e => e is { Instance: "llama_0", Gpu: "0", Client: "webui" });
        Assert.Contains(expected, e => e is { Instance: "llama_1", Gpu: "1", Client: "n8n" });
        Assert.Contains(expected, e => e is { Status: 404, Instance: null });
        Assert.All(rows.Where(r => r.Status == 200), r =>
        {
            Assert.True(r.PromptTokens > 0 && r.CompletionTokens > 0, "the simulator reports tokens");
            Assert.True(r.EstimatedPromptTokens > 0);
            Assert.NotNull(r.TtftMs);
            Assert.Null(r.ColdStartMs);
        });
        Assert.Equal(["batch", "batch", "interactive", "interactive"], rows.Select(r => r.Source).Order());
    }

    [Fact]
    public async Task AdminUsage_TotalsEqualTrafficSent_AndPostgresIsConnectedWithNothingBuffered()
    {
        var cs = await cluster.CreateDatabaseAsync();
        using var router = UsageRouter.Create(cs, _gpu0, _gpu1);
        using var webui = router.Client(TestKeys.WebUi);
        using var n8n = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        var sent = new List<ExpectedRow>();
        for (var i = 0; i < 3; i++) sent.Add(await UsageTraffic.ChatAsync(webui, "webui"));
        for (var i = 0; i < 2; i++) sent.Add(await UsageTraffic.ChatAsync(n8n, "n8n", stream: true));
        sent.Add(await UsageTraffic.ChatAsync(n8n, "n8n", model: "no-such-model"));

        await UsageDb.WaitForCountAsync(cs, sent.Count);
        var usage = await admin.GetFromJsonAsync<JsonElement>("/admin/usage");

        var totals = usage.GetProperty("totals").EnumerateArray().Select(t => (
            t.GetProperty("client").GetString(), t.GetProperty("model").GetString(), t.GetProperty("requests").GetInt64(),
            t.GetProperty("errors").GetInt64(), t.GetProperty("promptTokens").GetInt64(), t.GetProperty("completionTokens").GetInt64()));
        var webuiSent = sent.Where(s => s.Client == "webui").ToList();
        var n8nOk = sent.Where(s => s is { Client: "n8n", Status: 200 }).ToList();
        Assert.Equal(
            [
                ("n8n", "", 1L, 1L, 0L, 0L),
                ("n8n", "llama", 2L, 0L, (long)n8nOk.Sum(s => s.PromptTokens), (long)n8nOk.Sum(s => s.CompletionTokens)),
                ("webui", "llama", 3L, 0L, (long)webuiSent.Sum(s => s.PromptTokens), (long)webuiSent.Sum(s => s.CompletionTokens)),
            ],
            totals);
        var postgres = usage.GetProperty("postgres");
        Assert.True(postgres.GetProperty("connected").GetBoolean());
        Assert.Equal(2, postgres.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(6, postgres.GetProperty("written").GetInt64());
        Assert.Equal(0, postgres.GetProperty("buffered").GetInt32());
        Assert.Equal(0, postgres.GetProperty("dropped").GetInt64());
        Assert.Equal(JsonValueKind.Null, postgres.GetProperty("lastError").ValueKind);

        using var forbidden = await webui.GetAsync("/admin/usage");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
