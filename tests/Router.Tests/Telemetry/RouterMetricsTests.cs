using GpuRouter.Gpu;
using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

public sealed class RouterMetricsTests
{
    private static readonly GpuReading Healthy = new()
    {
        Index = 0, Name = "NVIDIA GeForce RTX 3090", Uuid = "GPU-0", Available = true,
        MemoryTotalBytes = 25769803776, MemoryUsedBytes = 1258291200, MemoryFreeBytes = 24511512576,
        UtilizationPercent = 37, TemperatureCelsius = 61, PowerWatts = 215.5,
    };

    private static readonly GpuReading Lost = new()
    {
        Index = 1, Name = "NVIDIA GeForce RTX 3090", Uuid = "GPU-1", Available = false, Error = "GPU is lost",
    };

    [Fact]
    public void RecordRequest_OneRequest_CountsEveryFamily()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());

        metrics.RecordRequest(new RequestRecord("llama", "llama_0", "0", "interactive", 200,
            TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(400), 1200, 300));
        var text = Exposition.Of(metrics);

        Assert.Contains("router_requests_total{model=\"llama\",instance=\"llama_0\",gpu=\"0\",source=\"interactive\",status=\"200\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("router_request_duration_seconds_sum{model=\"llama\",instance=\"llama_0\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("router_queue_wait_seconds_bucket{model=\"llama\",instance=\"llama_0\",le=\"0.05\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("router_time_to_first_token_seconds_sum{model=\"llama\",instance=\"llama_0\"} 0.4\n", text, StringComparison.Ordinal);
        Assert.Contains("router_tokens_total{model=\"llama\",kind=\"completion\"} 300\n", text, StringComparison.Ordinal);
        Assert.Contains("router_tokens_total{model=\"llama\",kind=\"prompt\"} 1200\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SetInstanceState_Ready_OneForReadyZeroForTheOtherEightStates()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());

        metrics.SetInstanceState("llama_0", "Loading");
        metrics.SetInstanceState("llama_0", "Ready");
        var lines = Exposition.Of(metrics).Split('\n').Where(l => l.StartsWith("router_instance_state{", StringComparison.Ordinal)).ToList();

        Assert.Equal(9, lines.Count);
        Assert.Equal(["router_instance_state{instance=\"llama_0\",state=\"Ready\"} 1"], lines.Where(l => l.EndsWith(" 1", StringComparison.Ordinal)));
        metrics.SetInstanceState("llama_0", "Sleeping");
        Assert.Equal(["router_instance_state{instance=\"llama_0\",state=\"Sleeping\"} 1"],
            Exposition.Of(metrics).Split('\n').Where(l => l.StartsWith("router_instance_state{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal)));
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.SetInstanceState("llama_0", "Dozing"));
    }

    [Fact]
    public void ObserveInstancesAndMode_ReadAtScrapeTime_ReflectTheLatestValues()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());
        var inflight = 1;
        var mode = "day";
        metrics.ObserveInstances(() => [new InstanceSample("qwen_72b_dual", "Ready", inflight, 4)]);
        metrics.ObserveMode(() => mode);

        _ = Exposition.Of(metrics);
        inflight = 2;
        mode = "night";
        var text = Exposition.Of(metrics);

        Assert.Contains("router_inflight_requests{instance=\"qwen_72b_dual\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("router_queued_requests{instance=\"qwen_72b_dual\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("router_mode{mode=\"day\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("router_mode{mode=\"night\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void GpuGauges_TelemetryOn_ReadTheSnapshotAndALostGpuOnlyReportsUnavailable()
    {
        var metrics = new RouterMetrics(new StubGpuTelemetry(enabled: true, Healthy, Lost));

        var text = Exposition.Of(metrics);

        Assert.Contains("router_gpu_memory_used_bytes{gpu=\"0\"} 1258291200\n", text, StringComparison.Ordinal);
        Assert.Contains("router_gpu_memory_total_bytes{gpu=\"0\"} 25769803776\n", text, StringComparison.Ordinal);
        Assert.Contains("router_gpu_utilization_ratio{gpu=\"0\"} 0.37\n", text, StringComparison.Ordinal);
        Assert.Contains("router_gpu_temperature_celsius{gpu=\"0\"} 61\n", text, StringComparison.Ordinal);
        Assert.Contains("router_gpu_power_watts{gpu=\"0\"} 215.5\n", text, StringComparison.Ordinal);
        Assert.Contains("router_gpu_available{gpu=\"0\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("router_gpu_available{gpu=\"1\"} 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("router_gpu_memory_used_bytes{gpu=\"1\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void GpuGauges_TelemetryOff_WriteNothing()
    {
        var metrics = new RouterMetrics(new StubGpuTelemetry(enabled: false, Healthy));

        var text = Exposition.Of(metrics);

        Assert.DoesNotContain("router_gpu_", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("process_resident_memory_bytes ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ObserveInstances_AnInstanceLeavesTheReading_ItsSeriesLeaveThePage()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());
        InstanceSample[] instances = [new("llama_0", "Ready", 1, 0), new("qwen_72b_dual", "Loading", 0, 2)];
        metrics.ObserveInstances(() => instances);
        var before = MetricsPage.Parse(Exposition.Of(metrics));

        instances = [new("llama_0", "Ready", 0, 0)];
        var after = MetricsPage.Parse(Exposition.Of(metrics));

        Assert.Equal(2, before.Sum("router_queued_requests", ("instance", "qwen_72b_dual")));
        Assert.Equal(9, before.Select("router_instance_state", ("instance", "qwen_72b_dual")).Count());
        Assert.Empty(after.Select("router_instance_state", ("instance", "qwen_72b_dual")));
        Assert.Empty(after.Select("router_inflight_requests", ("instance", "qwen_72b_dual")));
        Assert.Empty(after.Select("router_queued_requests", ("instance", "qwen_72b_dual")));
        Assert.Equal(9, after.Select("router_instance_state", ("instance", "llama_0")).Count());
        Assert.Equal(0, Assert.Single(after.Select("router_inflight_requests", ("instance", "llama_0"))).Value);
    }

    [Fact]
    public void GpuGauges_AGpuIsLostThenLeavesTheReading_KeepsOnlyAvailableThenNothing()
    {
        var gpus = new StubGpuTelemetry(enabled: true, Healthy, Healthy with { Index = 1, Uuid = "GPU-1" });
        var metrics = new RouterMetrics(gpus);
        var both = MetricsPage.Parse(Exposition.Of(metrics));

        gpus.Current = new GpuSnapshot(DateTimeOffset.UnixEpoch, [Healthy, Lost]);
        var lost = MetricsPage.Parse(Exposition.Of(metrics));
        gpus.Current = new GpuSnapshot(DateTimeOffset.UnixEpoch, [Healthy]);
        var gone = MetricsPage.Parse(Exposition.Of(metrics));

        Assert.Equal(215.5, both.Sum("router_gpu_power_watts", ("gpu", "1")));
        Assert.Equal(["router_gpu_available"], lost.Families.Where(f => lost.Select(f, ("gpu", "1")).Any()));
        Assert.Equal(0, lost.Sum("router_gpu_available", ("gpu", "1")));
        Assert.DoesNotContain(gone.Families, f => gone.Select(f, ("gpu", "1")).Any());
        Assert.Equal(1258291200, gone.Sum("router_gpu_memory_used_bytes", ("gpu", "0")));
    }

    [Fact]
    public void RecordRequest_ModelNameWithQuoteBackslashNewlineAndCyrillic_IsEscapedAsUtf8Text()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());

        metrics.RecordRequest(new RequestRecord("a\\b\"c\nd", "", "", "batch", 404, TimeSpan.Zero, TimeSpan.Zero, null, 0, 0));
        metrics.RecordRequest(new RequestRecord("модель-7B", "", "", "batch", 404, TimeSpan.Zero, TimeSpan.Zero, null, 0, 0));
        var text = Exposition.Of(metrics);

        Assert.Contains("router_requests_total{model=\"a\\\\b\\\"c\\nd\",instance=\"\",gpu=\"\",source=\"batch\",status=\"404\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("router_requests_total{model=\"модель-7B\",instance=\"\",gpu=\"\",source=\"batch\",status=\"404\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestDuration_ExactlyOnABucketBound_CountsInThatBucket()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());

        metrics.RecordRequest(new RequestRecord("llama", "llama_0", "0", "batch", 200, TimeSpan.FromSeconds(1), TimeSpan.Zero, null, 0, 0));
        var page = MetricsPage.Parse(Exposition.Of(metrics));

        Assert.Equal(0, page.Sum("router_request_duration_seconds_bucket", ("le", "0.5")));
        Assert.Equal(1, page.Sum("router_request_duration_seconds_bucket", ("le", "1")));
        Assert.Equal(1, page.Sum("router_request_duration_seconds_bucket", ("le", "+Inf")));
    }
}
