using System.Net.Http.Json;
using System.Text.Json;

namespace Router.Tests.Usage;

/// <summary>PostgreSQL goes away and comes back; the request path must not notice and no event may be lost or doubled.</summary>
public class UsageOutageTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _gpu0 = null!;
    private VllmSim.SimServer _gpu1 = null!;

    public async Task InitializeAsync()
    {
        _gpu0 = await _sims.StartAsync("llama", o => o.MaxModelLen = 32768);
        _gpu1 = await _sims.StartAsync("llama");
    }

    public async Task DisposeAsync()
    {
        await _sims.DisposeAsync();
        // The next test in this class needs the server up, whatever happened in this one.
        if (!cluster.IsRunning) await cluster.StartAsync();
    }

    [Fact]
    public async Task Outage_RequestsAnswerNormally_AndEveryEventArrivesExactlyOnceAfterRestart()
    {
        var cs = await cluster.CreateDatabaseAsync();
        using var router = UsageRouter.Create(cs, _gpu0, _gpu1);
        using var webui = router.Client(TestKeys.WebUi);
        using var n8n = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        for (var i = 0; i < 2; i++) await UsageTraffic.ChatAsync(webui, "webui");
        await UsageDb.WaitForCountAsync(cs, 2);

        await cluster.StopAsync();
        var sent = new List<ExpectedRow>();
        for (var i = 0; i < 10; i++) sent.Add(await UsageTraffic.ChatAsync(i % 2 == 0 ? webui : n8n, i % 2 == 0 ? "webui" : "n8n"));
        Assert.All(sent, s => Assert.Equal(200, s.Status));
        await Eventually.TrueAsync(async () =>
        {
            var postgres = (await admin.GetFromJsonAsync<JsonElement>("/admin/usage")).GetProperty("postgres");
            return !postgres.GetProperty("connected").GetBoolean() && postgres.GetProperty("buffered").GetInt32() == 10
                && postgres.GetProperty("lastError").ValueKind == JsonValueKind.String;
        }, "/admin/usage shows the outage with 10 events buffered");

        await cluster.StartAsync();

        await UsageDb.WaitForCountAsync(cs, 12);
        // Several flush and retry periods later, still exactly one row per request.
        await Task.Delay(UsageRouter.FastOptions.RetryMax * 3);
        var rows = await UsageDb.RowsAsync(cs);
        Assert.Equal(12, rows.Count);
        Assert.Equal(12, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(
            UsageTraffic.Sorted(sent),
            UsageTraffic.Sorted(rows.OrderBy(r => r.Id).Skip(2).Select(ExpectedRow.Of)));
        var after = (await admin.GetFromJsonAsync<JsonElement>("/admin/usage")).GetProperty("postgres");
        Assert.True(after.GetProperty("connected").GetBoolean());
        Assert.Equal(0, after.GetProperty("buffered").GetInt32());
        Assert.Equal(0, after.GetProperty("dropped").GetInt64());
    }

    [Fact]
    public async Task Router_StartedWhileDatabaseIsDown_BecomesReady_AndWritesOnceItIsUp()
    {
        var cs = await cluster.CreateDatabaseAsync();
        await cluster.StopAsync();

        using var router = UsageRouter.Create(cs, _gpu0, _gpu1);
        using var n8n = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        await Eventually.TrueAsync(async () => (await n8n.GetAsync("/ready")).IsSuccessStatusCode, "the router is ready");
        var sent = new List<ExpectedRow>();
        for (var i = 0; i < 5; i++) sent.Add(await UsageTraffic.ChatAsync(n8n, "n8n"));
        Assert.All(sent, s => Assert.Equal(200, s.Status));
        var down = (await admin.GetFromJsonAsync<JsonElement>("/admin/usage")).GetProperty("postgres");
        Assert.False(down.GetProperty("connected").GetBoolean());
        Assert.Equal(0, down.GetProperty("schemaVersion").GetInt32());

        await cluster.StartAsync();

        await UsageDb.WaitForCountAsync(cs, 5);
        Assert.Equal([1, 2], await UsageDb.MigrationVersionsAsync(cs));
        Assert.Equal(UsageTraffic.Sorted(sent), UsageTraffic.Sorted((await UsageDb.RowsAsync(cs)).Select(ExpectedRow.Of)));
    }
}
