using BenchmarkDotNet.Attributes;
using GpuRouter.Gpu;
using GpuRouter.Telemetry;

namespace GpuRouter.Benchmarks;

/// <summary>
/// What the metrics cost every proxied request: <see cref="RouterMetrics.RecordRequest"/> with a
/// label set already seen (the steady state), a streamed chat (with time to first token and both
/// token counts) and a non-streamed refusal (no first token, no tokens). Both must allocate 0 B.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private static readonly RequestRecord Streamed = new("llama", "llama_0", "0", "interactive", 200,
        TimeSpan.FromSeconds(2.4), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(180), 900, 250);

    private static readonly RequestRecord Refused = new("llama", "llama_1", "1", "batch", 503,
        TimeSpan.FromMilliseconds(0.4), TimeSpan.Zero, null, 0, 0);

    private RouterMetrics _metrics = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new RouterMetrics(new DisabledGpuTelemetry());
        // The first record of a label set creates its children: the one allowed cost, paid here.
        _metrics.RecordRequest(Streamed);
        _metrics.RecordRequest(Refused);
    }

    [Benchmark(Baseline = true)]
    public void RecordStreamedChat() => _metrics.RecordRequest(Streamed);

    [Benchmark]
    public void RecordRefusal() => _metrics.RecordRequest(Refused);
}
