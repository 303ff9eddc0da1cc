using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

public sealed class MetricsConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 50_000;

    [Fact]
    public void Increments_FromManyThreads_SumExactly()
    {
        var registry = new MetricsRegistry();
        var counters = registry.Counter("c_total", "C.", "k");
        var histograms = registry.Histogram("h_seconds", "H.", [0.5, 1.5], "k");
        var gauges = registry.Gauge("g", "G.", "k");

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                // Looked up every time, so child creation races too on the first iterations.
                counters.WithLabels("same").Inc();
                histograms.WithLabels("same").Observe(i % 2);
                gauges.WithLabels("same").Inc();
                gauges.WithLabels("same").Dec(0.5);
            }
        });

        const int total = Threads * PerThread;
        var text = Exposition.Of(registry);
        Assert.Equal(total, counters.WithLabels("same").Value);
        Assert.Equal(total * 0.5, gauges.WithLabels("same").Value);
        Assert.Equal(total / 2, histograms.WithLabels("same").Sum);
        Assert.Contains($"h_seconds_bucket{{k=\"same\",le=\"0.5\"}} {total / 2}\n", text, StringComparison.Ordinal);
        Assert.Contains($"h_seconds_count{{k=\"same\"}} {total}\n", text, StringComparison.Ordinal);
    }
}
