using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Router.Tests.Gpu;

namespace Router.Tests.Hosts;

/// <summary>
/// /health and /admin/gpus with a GPU host besides this one: the hosts and their reachability, each
/// instance's host, the local GPUs from NVML and the remote host's from its config with the router's
/// reservations, never measured; an unreachable remote host leaves /ready alone.
/// </summary>
public sealed class HostViewsTests : IAsyncLifetime
{
    private const long Mib = HostViews.Mib;
    private const long Gib = HostViews.Gib;
    private readonly HostViews _views = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _views.DisposeAsync();

    private async Task<JsonElement> GetAsync(string path)
    {
        using var client = _views.Router.Client(TestKeys.Admin);
        return await client.GetFromJsonAsync<JsonElement>(path);
    }

    private async Task ReserveAsync()
    {
        var placement = _views.Router.Services.GetRequiredService<GpuPlacement>();
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("llama405_dgx", 0.9, 0, 1) { Host = "dgx" }, TimeSpan.Zero, default));
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("bge_m3_1", 0.15, 1), TimeSpan.Zero, default));
    }

    private static JsonElement Named(JsonElement list, string name) =>
        list.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Health_ListsTheLocalEngineThenEachHost_WithReachabilitySinceAndReason()
    {
        var before = await GetAsync("/health");
        _views.Board.MarkUnreachable("dgx", "connection refused (dgx.tailnet:2376)");
        var down = _views.Board.Of("dgx").Since;

        var health = await GetAsync("/health");

        var startHosts = before.GetProperty("hosts");
        Assert.Equal(["local", "dgx"], startHosts.EnumerateArray().Select(h => h.GetProperty("name").GetString()));
        Assert.All(startHosts.EnumerateArray(), h => Assert.Equal("unknown", h.GetProperty("reachability").GetString()));
        var hosts = health.GetProperty("hosts");
        Assert.Equal(2, hosts.GetArrayLength());
        var local = hosts[0];
        Assert.Equal("local", local.GetProperty("name").GetString());
        Assert.Equal(HostViews.LocalEngine, local.GetProperty("engine").GetString());
        Assert.Equal(JsonValueKind.Null, local.GetProperty("address").ValueKind);
        Assert.Equal("unknown", local.GetProperty("reachability").GetString());
        Assert.Equal(JsonValueKind.Null, local.GetProperty("reason").ValueKind);
        var dgx = hosts[1];
        Assert.Equal("dgx", dgx.GetProperty("name").GetString());
        Assert.Equal(HostViews.DgxEngine, dgx.GetProperty("engine").GetString());
        Assert.Equal("dgx.tailnet", dgx.GetProperty("address").GetString());
        Assert.Equal("unreachable", dgx.GetProperty("reachability").GetString());
        Assert.Equal(down, dgx.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("connection refused (dgx.tailnet:2376)", dgx.GetProperty("reason").GetString());

        _views.Board.MarkReachable("dgx");
        var back = (await GetAsync("/health")).GetProperty("hosts")[1];
        Assert.Equal("reachable", back.GetProperty("reachability").GetString());
        Assert.Equal(JsonValueKind.Null, back.GetProperty("reason").ValueKind);
        Assert.True(back.GetProperty("since").GetDateTimeOffset() >= down);
    }

    [Fact]
    public async Task Health_EachInstanceSaysItsHost_LocalRemoteOrNoneForAnEndpoint()
    {
        var instances = (await GetAsync("/health")).GetProperty("instances");

        Assert.Equal("dgx", Named(instances, "llama405_dgx").GetProperty("host").GetString());
        Assert.Equal("local", Named(instances, "bge_m3_1").GetProperty("host").GetString());
        Assert.Equal(JsonValueKind.Null, Named(instances, "llama_0").GetProperty("host").ValueKind);
        var admin = (await GetAsync("/admin/instances")).GetProperty("instances");
        Assert.Equal("dgx", Named(admin, "llama405_dgx").GetProperty("host").GetString());
    }

    [Fact]
    public async Task AdminGpus_RemoteGpusFromConfig_WithTheRoutersReservations_NotMeasured()
    {
        await ReserveAsync();
        _views.Board.MarkUnreachable("dgx", "timed out");

        var body = await GetAsync("/admin/gpus");

        var gpus = body.GetProperty("gpus");
        Assert.Equal(["local:0", "local:1", "dgx:0", "dgx:1"],
            gpus.EnumerateArray().Select(g => $"{g.GetProperty("host").GetString()}:{g.GetProperty("index").GetInt32()}"));
        var dgx0 = gpus[2];
        Assert.Equal("big", dgx0.GetProperty("role").GetString());
        Assert.Equal("remote", dgx0.GetProperty("telemetry").GetString());
        Assert.False(dgx0.GetProperty("measured").GetBoolean());
        foreach (var field in new[] { "available", "name", "uuid", "memoryUsedBytes", "memoryTotalBytes", "utilizationPercent", "temperatureCelsius", "powerWatts", "readAt" })
            Assert.Equal(JsonValueKind.Null, dgx0.GetProperty(field).ValueKind);
        Assert.Equal(80 * Gib, dgx0.GetProperty("memoryBytes").GetInt64());
        Assert.Equal(0.9, dgx0.GetProperty("reservedShare").GetDouble());
        Assert.Equal((long)Math.Round(0.9 * 80 * Gib), dgx0.GetProperty("reservedBytes").GetInt64());
        Assert.Equal("unreachable", dgx0.GetProperty("reachability").GetString());
        var placed = Assert.Single(dgx0.GetProperty("instances").EnumerateArray());
        Assert.Equal("llama405_dgx", placed.GetProperty("name").GetString());
        Assert.Equal("llama-405b", placed.GetProperty("model").GetString());
        Assert.True(placed.GetProperty("managed").GetBoolean());
        Assert.Equal(0.9, placed.GetProperty("gpuMemoryUtilization").GetDouble());
        Assert.Equal(0.9, placed.GetProperty("reservedShare").GetDouble());
        Assert.Equal((long)Math.Round(0.9 * 80 * Gib), placed.GetProperty("reservedBytes").GetInt64());
        // A GPU whose memory the config does not give: the share, but no bytes.
        var dgx1 = gpus[3];
        Assert.Equal("general", dgx1.GetProperty("role").GetString());
        Assert.Equal(0.9, dgx1.GetProperty("reservedShare").GetDouble());
        Assert.Equal(JsonValueKind.Null, dgx1.GetProperty("memoryBytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, dgx1.GetProperty("reservedBytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, dgx1.GetProperty("instances")[0].GetProperty("reservedBytes").ValueKind);
        Assert.Equal("unreachable", body.GetProperty("hosts")[1].GetProperty("reachability").GetString());
        Assert.Equal("timed out", body.GetProperty("hosts")[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AdminGpus_LocalGpusAsBefore_SameIndexOnTheRemoteHostNeitherSummedNorListed()
    {
        await ReserveAsync();

        var gpus = (await GetAsync("/admin/gpus")).GetProperty("gpus");

        var local0 = gpus[0];
        Assert.Equal("local", local0.GetProperty("host").GetString());
        Assert.Equal("on", local0.GetProperty("telemetry").GetString());
        Assert.True(local0.GetProperty("measured").GetBoolean());
        Assert.Equal(1200 * Mib, local0.GetProperty("memoryUsedBytes").GetInt64());
        Assert.Equal(24576 * Mib, local0.GetProperty("memoryBytes").GetInt64());
        Assert.Equal(0.0, local0.GetProperty("reservedShare").GetDouble());
        Assert.Equal(0, local0.GetProperty("reservedBytes").GetInt64());
        Assert.Equal(["llama_0"], local0.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        var local1 = gpus[1];
        Assert.Equal(0.15, local1.GetProperty("reservedShare").GetDouble());
        Assert.Equal((long)Math.Round(0.15 * 24576 * Mib), local1.GetProperty("reservedBytes").GetInt64());
        var bge = Assert.Single(local1.GetProperty("instances").EnumerateArray());
        Assert.Equal("bge_m3_1", bge.GetProperty("name").GetString());
        Assert.Equal(0.15, bge.GetProperty("reservedShare").GetDouble());
        Assert.Equal("Stopped", bge.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Ready_RemoteHostUnreachable_StaysReadyAndHealthSaysWhy()
    {
        // Readiness needs Docker for managed instances: a router with only an endpoint instance
        // and the same host is ready at once, so the test sees whether dgx could change that. With no
        // managed instance no engine is watched, so the test marks dgx down itself (a real engine
        // stopping under a watched router: RemoteHostOutageTests).
        using var pki = await TestPki.CreateAsync();
        {
            await using var router = new RouterFactory($$"""
                {{TestKeys.ClientsYaml}}
                hosts:
                  - { name: dgx, docker: "tcp://127.0.0.1:9", tls: { ca: {{pki.Ca}}, cert: {{pki.ClientCert}}, key: {{pki.ClientKey}} }, address: 127.0.0.2, gpus: [ { index: 0 } ] }
                models:
                  - name: llama
                    instances:
                      - { name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9", maxModelLen: 8192 }
                """);
            using var client = router.Client();
            var board = router.Services.GetRequiredService<GpuRouter.Hosts.HostStatusBoard>();
            using (var ready = await client.GetAsync(new Uri("/ready", UriKind.Relative)))
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            board.MarkUnreachable("dgx", "connection refused");

            using var after = await client.GetAsync(new Uri("/ready", UriKind.Relative));
            var health = await client.GetFromJsonAsync<JsonElement>("/health");

            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal("ready", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            Assert.Equal("ok", health.GetProperty("status").GetString());
            Assert.Equal("unreachable", health.GetProperty("hosts")[1].GetProperty("reachability").GetString());
            var dgx0 = health.GetProperty("gpus").EnumerateArray().Single(g => g.GetProperty("host").GetString() == "dgx");
            Assert.Equal(0, dgx0.GetProperty("index").GetInt32());
            Assert.Equal("unreachable", dgx0.GetProperty("reachability").GetString());
            Assert.Equal("connection refused", health.GetProperty("hosts")[1].GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task Health_WithoutHosts_OnlyTheLocalEngine_EveryGpuLocal()
    {
        await using var router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            gpus: [ { index: 0, role: general } ]
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9", maxModelLen: 8192 }
            """);
        using var client = router.Client();

        var health = await client.GetFromJsonAsync<JsonElement>("/health");

        var local = Assert.Single(health.GetProperty("hosts").EnumerateArray());
        Assert.Equal("local", local.GetProperty("name").GetString());
        Assert.Equal("unix:///var/run/docker.sock", local.GetProperty("engine").GetString());
        var gpu = Assert.Single(health.GetProperty("gpus").EnumerateArray());
        Assert.Equal("local", gpu.GetProperty("host").GetString());
        Assert.Equal(["llama_0"], gpu.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
    }
}
