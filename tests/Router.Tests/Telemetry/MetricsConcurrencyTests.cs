using GpuRouter.Gpu;
using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

public sealed class MetricsConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 20_000;

    [Fact]
    public void RecordRequest_FromManyThreads_SumsExactly()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                // The first iterations race to create the same children; half the requests wait 0.25 s.
                metrics.RecordRequest(new RequestRecord("llama", "llama_0", "0", "batch", 200,
                    TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(i % 2 * 0.25), null, 3, 0));
                metrics.SetInflight($"llama_{thread % 2}", i);
            }
        });

        const int total = Threads * PerThread;
        var page = MetricsPage.Parse(Exposition.Of(metrics));
        Assert.Equal(total, page.Sum("router_requests_total"));
        Assert.Equal(3.0 * total, page.Sum("router_tokens_total", ("kind", "prompt")));
        Assert.Equal(total, page.Sum("router_queue_wait_seconds_count"));
        Assert.Equal(total / 2, page.Sum("router_queue_wait_seconds_bucket", ("le", "0.1")));
        Assert.Equal(total, page.Sum("router_queue_wait_seconds_bucket", ("le", "0.5")));
        Assert.Equal(total * 0.25 / 2, page.Sum("router_queue_wait_seconds_sum"));
        Assert.Equal(2, page.Select("router_inflight_requests").Count());
    }
}
