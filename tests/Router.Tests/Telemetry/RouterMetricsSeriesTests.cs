using GpuRouter.Gpu;
using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

/// <summary>What the series on the page say as the router's state changes, and how label values are written.</summary>
public sealed class RouterMetricsSeriesTests
{
    private static readonly GpuReading Healthy = new()
    {
        Index = 0, Name = "NVIDIA GeForce RTX 3090", Uuid = "GPU-0", Available = true,
        MemoryTotalBytes = 25769803776, MemoryUsedBytes = 1258291200, UtilizationPercent = 37, TemperatureCelsius = 61, PowerWatts = 215.5,
    };

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
        Assert.Equal(7, before.Select("router_instance_state", ("instance", "qwen_72b_dual")).Count());
        Assert.Empty(after.Select("router_instance_state", ("instance", "qwen_72b_dual")));
        Assert.Empty(after.Select("router_inflight_requests", ("instance", "qwen_72b_dual")));
        Assert.Empty(after.Select("router_queued_requests", ("instance", "qwen_72b_dual")));
        Assert.Equal(7, after.Select("router_instance_state", ("instance", "llama_0")).Count());
        Assert.Equal(0, Assert.Single(after.Select("router_inflight_requests", ("instance", "llama_0"))).Value);
    }

    [Fact]
    public void GpuGauges_AGpuIsLostThenLeavesTheReading_KeepsOnlyAvailableThenNothing()
    {
        var gpus = new StubGpuTelemetry(enabled: true, Healthy, Healthy with { Index = 1, Uuid = "GPU-1" });
        var metrics = new RouterMetrics(gpus);
        var both = MetricsPage.Parse(Exposition.Of(metrics));

        gpus.Current = new GpuSnapshot(DateTimeOffset.UnixEpoch,
            [Healthy, new GpuReading { Index = 1, Name = "NVIDIA GeForce RTX 3090", Uuid = "GPU-1", Available = false, Error = "GPU is lost" }]);
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
