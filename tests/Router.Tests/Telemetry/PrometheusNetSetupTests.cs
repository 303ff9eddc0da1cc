using System.Diagnostics;
using System.Text;
using GpuRouter.Gpu;
using GpuRouter.Telemetry;
using Prometheus;

namespace Router.Tests.Telemetry;

/// <summary>How the router sets prometheus-net up: its own registry, none of the library's defaults, no exemplars.</summary>
public sealed class PrometheusNetSetupTests
{
    private static readonly GpuReading Gpu = new()
    {
        Index = 0, Name = "NVIDIA GeForce RTX 3090", Uuid = "GPU-0", Available = true, MemoryTotalBytes = 25769803776,
    };

    private static readonly RequestRecord Chat = new("llama", "llama_0", "0", "interactive", 200,
        TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromSeconds(0.2), 10, 5);

    [Fact]
    public void Exposition_AfterEveryKindOfEvent_DeclaresTheRouterFamiliesAndThreeProcessOnesOnly()
    {
        var metrics = new RouterMetrics(new StubGpuTelemetry(enabled: true, Gpu));
        metrics.RecordRequest(Chat);
        metrics.RecordColdStart("llama_0", TimeSpan.FromSeconds(30));
        metrics.RecordEviction("llama_0", "ttl");
        metrics.RecordRestart("llama_0", "crash");
        metrics.RecordWake("llama_0", TimeSpan.FromSeconds(1));
        metrics.RecordSleep("llama_0", TimeSpan.FromSeconds(0.5));
        metrics.ObserveHostMemorySleeping(() => 16L << 30);
        metrics.ObserveInstances(() => [new InstanceSample("llama_0", "Ready", 0, 0)]);
        metrics.ObserveMode(() => "day");
        metrics.ObserveClients(() => [new ClientSample("n8n", 1, 42)]);

        var declared = Exposition.Of(metrics).Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal);

        Assert.Equal(
        [
            "process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds",
            "router_client_requests_held", "router_client_tokens_today", "router_cold_start_seconds", "router_evictions_total", "router_gpu_available", "router_gpu_memory_total_bytes",
            "router_gpu_memory_used_bytes", "router_gpu_power_watts", "router_gpu_temperature_celsius",
            "router_gpu_utilization_ratio", "router_host_memory_sleeping_bytes", "router_inflight_requests", "router_instance_restarts_total",
            "router_instance_state", "router_mode", "router_queue_wait_seconds", "router_queued_requests", "router_request_duration_seconds",
            "router_requests_total", "router_sleep_seconds", "router_time_to_first_token_seconds", "router_tokens_total", "router_wake_seconds",
        ], declared);
    }

    [Fact]
    public void Exemplars_WithATraceOnTheRecordingThread_AreNotRecorded()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());
        using (var trace = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            metrics.RecordRequest(Chat);
        }

        // Only OpenMetrics can carry exemplars; the router never serves it, so ask the registry directly.
        using var buffer = new MemoryStream();
        Assert.True(metrics.Registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.OpenMetricsText).IsCompletedSuccessfully);
        var text = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.Contains("router_requests_total{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("trace_id", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoRouters_InOneProcess_ShareNoSeries()
    {
        var first = new RouterMetrics(new DisabledGpuTelemetry());
        var second = new RouterMetrics(new DisabledGpuTelemetry());

        first.RecordRequest(Chat);
        first.RecordRequest(Chat);
        second.RecordRequest(Chat);

        Assert.Equal(2, MetricsPage.Parse(Exposition.Of(first)).Sum("router_requests_total"));
        Assert.Equal(1, MetricsPage.Parse(Exposition.Of(second)).Sum("router_requests_total"));
    }

    [Fact]
    public async Task DefaultRegistry_ScrapedAfterTheRouterMetricsExist_StartsNoneOfTheLibrarysDefaults()
    {
        _ = new RouterMetrics(new DisabledGpuTelemetry());

        // Its first scrape is when prometheus-net would register its process and .NET metrics and
        // start the event-counter and meter adapters.
        using var buffer = new MemoryStream();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(buffer);

        Assert.Equal("", Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
