using System.Text;
using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

/// <summary>Renders a registry or the router's metrics to the text a scrape would receive.</summary>
internal static class Exposition
{
    public static string Of(MetricsRegistry registry)
    {
        using var buffer = new PooledBufferWriter(initialCapacity: 64);
        registry.Write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
    }

    public static string Of(RouterMetrics metrics) => Of(metrics.Registry);
}
