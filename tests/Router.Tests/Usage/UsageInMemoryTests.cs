using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GpuRouter.Usage;

namespace Router.Tests.Usage;

/// <summary>Usage without a working database: totals only, or a database that never answers.</summary>
public class UsageInMemoryTests : IAsyncLifetime
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
    public async Task AdminUsage_WithoutPostgres_ShowsTotalsAndNoPostgresState()
    {
        using var router = UsageRouter.Create(null, _gpu0, _gpu1);
        using var webui = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var first = await UsageTraffic.ChatAsync(webui, "webui");
        var second = await UsageTraffic.ChatAsync(webui, "webui", stream: true);

        var usage = await admin.GetFromJsonAsync<JsonElement>("/admin/usage");

        var total = Assert.Single(usage.GetProperty("totals").EnumerateArray().ToList());
        Assert.Equal("webui", total.GetProperty("client").GetString());
        Assert.Equal("llama", total.GetProperty("model").GetString());
        Assert.Equal(2, total.GetProperty("requests").GetInt64());
        Assert.Equal(0, total.GetProperty("errors").GetInt64());
        Assert.Equal(first.PromptTokens + second.PromptTokens, total.GetProperty("promptTokens").GetInt64());
        Assert.Equal(first.CompletionTokens + second.CompletionTokens, total.GetProperty("completionTokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, usage.GetProperty("postgres").ValueKind);
    }

    [Fact]
    public async Task Requests_WhileTheDatabaseNeverAnswers_DoNotWaitForIt()
    {
        // A listener that never accepts: connections open at the TCP level and then hang, the
        // worst case for anything that waited on the database.
        using var blackhole = new TcpListener(IPAddress.Loopback, 0);
        blackhole.Start(backlog: 64);
        var port = ((IPEndPoint)blackhole.LocalEndpoint).Port;
        var databaseTimeout = TimeSpan.FromSeconds(60);
        var cs = $"Host=127.0.0.1;Port={port};Username=postgres;Database=usage;Timeout={databaseTimeout.TotalSeconds};Command Timeout={databaseTimeout.TotalSeconds}";
        var options = new UsageOptions { ShutdownFlushTimeout = TimeSpan.FromMilliseconds(200) };
        using var router = UsageRouter.Create(cs, _gpu0, _gpu1, options);
        using var n8n = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);

        var clock = Stopwatch.StartNew();
        Assert.True((await n8n.GetAsync("/ready")).IsSuccessStatusCode);
        var sent = new List<ExpectedRow>();
        for (var i = 0; i < 10; i++) sent.Add(await UsageTraffic.ChatAsync(n8n, "n8n"));

        Assert.All(sent, s => Assert.Equal(200, s.Status));
        // Not a speed claim: a request that waited on the database would have waited its whole timeout.
        Assert.True(clock.Elapsed < databaseTimeout, $"ready and 10 requests took {clock.Elapsed}: one waited for the database");
        var usage = await admin.GetFromJsonAsync<JsonElement>("/admin/usage");
        Assert.Equal(10, Assert.Single(usage.GetProperty("totals").EnumerateArray().ToList()).GetProperty("requests").GetInt64());
        var postgres = usage.GetProperty("postgres");
        Assert.False(postgres.GetProperty("connected").GetBoolean());
        Assert.Equal(10, postgres.GetProperty("buffered").GetInt32());
    }
}
