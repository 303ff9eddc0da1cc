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
        // The first call creates the children and formats "200": the one allowed cost. The rest of
        // the warm-up lets the JIT finish with the loop before anything is measured.
        Record(metrics, request, 1_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Record(metrics, request, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Contains("status=\"200\"} 11000\n", Exposition.Of(metrics), StringComparison.Ordinal);
    }

    private static void Record(RouterMetrics metrics, in RequestRecord request, int times)
    {
        for (var i = 0; i < times; i++)
        {
            metrics.RecordRequest(request);
        }
    }
}
