using BenchmarkDotNet.Attributes;
using GpuRouter.Gpu;
using GpuRouter.Telemetry;
using GpuRouter.Timeline;

namespace GpuRouter.Benchmarks;

/// <summary>
/// What the status page's list of recent requests costs every proxied request
/// (<see cref="RecentRequests.Add"/>: a struct copied into a ring under a lock), against what the
/// metrics already cost it (<see cref="RouterMetrics.RecordRequest"/> for a streamed chat, the
/// baseline). Both must allocate 0 B.
/// </summary>
[MemoryDiagnoser]
public class RecentRequestsBenchmarks
{
    private static readonly Telemetry.RequestRecord Metric = new("llama", "llama_0", "0", "interactive", 200,
        TimeSpan.FromSeconds(2.4), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(180), 900, 250);

    private static readonly RecentRequest Recent = new(DateTimeOffset.UnixEpoch, "webui", "llama", "llama_0", "0", 200,
        3, null, 900, 250, 2400, "ok");

    private RouterMetrics _metrics = null!;
    private RecentRequests _recent = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new RouterMetrics(new DisabledGpuTelemetry());
        _metrics.RecordRequest(Metric);
        _recent = new RecentRequests();
    }

    [Benchmark(Baseline = true)]
    public void Metrics() => _metrics.RecordRequest(Metric);

    [Benchmark]
    public void AddRecentRequest() => _recent.Add(Recent);
}
