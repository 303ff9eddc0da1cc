using GpuRouter.Gpu;
using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

public sealed class RouterMetricsAllocationTests
{
    [Fact]
    public void RecordRequest_SameLabelsAfterWarmUp_AllocatesNothing()
    {
        var metrics = new RouterMetrics(new DisabledGpuTelemetry());
        var request = new RequestRecord("llama", "llama_0", "0", "interactive", 200,
            TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(300), 900, 250);
        // The first call creates the children and formats "200"; that is the one allowed cost.
        metrics.RecordRequest(request);
        metrics.RecordRequest(request);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            metrics.RecordRequest(request);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Contains("status=\"200\"} 10002\n", Exposition.Of(metrics), StringComparison.Ordinal);
    }
}
