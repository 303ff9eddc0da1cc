using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GpuRouter.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Router.Tests.Gpu;

namespace Router.Tests.Telemetry;

/// <summary>compose/grafana/gpu-router.json: a Grafana dashboard whose every query names a metric the live router exports.</summary>
public sealed partial class DashboardTests
{
    private static readonly string DashboardPath = Path.Combine(RepoRoot.Path, "compose", "grafana", "gpu-router.json");

    // Only the Docker lifecycle records these, and an endpoint instance is never started, evicted
    // or restarted: the live test here records one of each through the router's own RouterMetrics,
    // and DashboardLifecycleTests makes real containers produce them.
    private static readonly string[] LifecycleFamilies =
        ["router_cold_start_seconds", "router_evictions_total", "router_instance_restarts_total"];

    // What issue 6 asks the dashboard to show, by the metric family that shows it.
    private static readonly string[] RequiredFamilies =
    [
        "router_gpu_memory_used_bytes", "router_gpu_memory_total_bytes", "router_gpu_utilization_ratio",
        "router_gpu_temperature_celsius", "router_requests_total", "router_queued_requests", "router_inflight_requests",
        "router_time_to_first_token_seconds", "router_cold_start_seconds", "router_evictions_total",
        "router_instance_restarts_total", "router_mode",
    ];

    [Fact]
    public void Dashboard_IsAGrafanaDashboardOverAPrometheusDatasourceVariable()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = doc.RootElement;

        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("uid").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        var variable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray(),
            v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("datasource", variable.GetProperty("name").GetString());
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());
        var panels = Panels(root).ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var panel in panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.True(panel.GetProperty("gridPos").GetProperty("w").GetInt32() is > 0 and <= 24, $"{title}: width");
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
            Assert.All(panel.GetProperty("targets").EnumerateArray(),
                t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"{title}: empty expr"));
        }
    }

    [Fact]
    public void Dashboard_ShowsEverythingTheIssueAsksFor()
    {
        var families = DashboardFamilies();
        var exprs = string.Join('\n', Expressions());

        Assert.All(RequiredFamilies, f => Assert.Contains(f, families));
        Assert.Contains("histogram_quantile(0.5, sum by (le, model) (rate(router_time_to_first_token_seconds_bucket", exprs, StringComparison.Ordinal);
        Assert.Contains("histogram_quantile(0.95, sum by (le, model) (rate(router_time_to_first_token_seconds_bucket", exprs, StringComparison.Ordinal);
        Assert.Contains("router_gpu_memory_used_bytes / router_gpu_memory_total_bytes", exprs, StringComparison.Ordinal);
        Assert.Contains("sum by (model, status) (rate(router_requests_total", exprs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardQueries_AllParseAsPromQl()
    {
        // Each query becomes a recording rule, which promtool parses as Prometheus would;
        // Grafana's own interval variables are replaced by fixed windows first.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var i = 0;
        foreach (var expr in Expressions())
        {
            var promql = expr.Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$__range", "6h", StringComparison.Ordinal);
            rules.Append($"      - record: dashboard:query_{++i}\n        expr: {JsonSerializer.Serialize(promql)}\n");
        }

        var (exitCode, output) = await Promtool.CheckRulesAsync(rules.ToString());

        Assert.True(exitCode == 0, $"promtool check rules failed:\n{output}\n{rules}");
    }

    [Fact]
    public async Task DashboardMetrics_AllExistOnTheLiveMetricsPageOfARouterAfterTraffic()
    {
        await using var sims = new Sims();
        var sim = await sims.StartAsync("llama", o => { o.TtftMs = 5; o.ItlMs = 1; });
        using var nvml = new FakeNvml("count=2", "gpu0.used_mib=1200", "gpu0.util=37", "gpu0.temp=61", "gpu0.power_mw=215500");
        using var router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            nvml: { library: "{{nvml.LibraryPath}}", pollInterval: 50ms }
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "{{sim.BaseAddress}}", maxModelLen: 8192 }
            """);
        using var client = router.Client(TestKeys.WebUi);
        using (var chat = await client.PostChatAsync(Http.Chat("llama", "hello", maxTokens: 4)))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            await chat.Content.ReadAsStringAsync();
        }
        using (var stream = await client.PostChatAsync(Http.Chat("llama", "stream", stream: true, maxTokens: 4, usage: true)))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            await stream.Content.ReadAsStringAsync();
        }
        var used = DashboardFamilies();

        MetricsPage page = null!;
        await global::Router.Tests.Eventually.TrueAsync(async () =>
        {
            page = await MetricsPage.ScrapeAsync(client);
            return page.Sum("router_requests_total") == 2 && page.Families.Contains("router_gpu_memory_used_bytes");
        }, "/metrics shows both requests and the first NVML reading");
        var missing = used.Except(LifecycleFamilies).Where(f => !page.Families.Contains(f)).ToList();
        Assert.True(missing.Count == 0, $"the dashboard queries metrics the router does not export: {string.Join(", ", missing)}\n{page.Text}");

        var metrics = router.Services.GetRequiredService<RouterMetrics>();
        metrics.RecordColdStart("llama_0", TimeSpan.FromSeconds(42));
        metrics.RecordEviction("llama_0", "ttl");
        metrics.RecordRestart("llama_0", "crash");
        page = await MetricsPage.ScrapeAsync(client);
        Assert.All(used.Intersect(LifecycleFamilies), f => Assert.Contains(f, page.Families));
    }

    // Every family a query names: histogram series (_bucket, _sum, _count) count as their family.
    private static HashSet<string> DashboardFamilies() =>
        [.. Expressions().SelectMany(e => MetricName().Matches(e)).Select(m => HistogramSuffix().Replace(m.Value, ""))];

    private static List<string> Expressions()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        return [.. Panels(doc.RootElement)
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    // Panels, including those inside a collapsed row, which Grafana nests in the row.
    private static IEnumerable<JsonElement> Panels(JsonElement root)
    {
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray()) yield return inner;
            }
        }
    }

    [GeneratedRegex(@"\b(?:router|process)_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(?:bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
