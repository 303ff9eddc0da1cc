using System.Text;
using GpuRouter.Telemetry;

namespace Router.Tests.Telemetry;

/// <summary>Renders the router's metrics to the text a scrape would receive (format 0.0.4).</summary>
internal static class Exposition
{
    public static string Of(RouterMetrics metrics)
    {
        using var buffer = new MemoryStream();
        // A MemoryStream never makes the export wait, so it has finished when the call returns.
        var export = metrics.Registry.CollectAndExportAsTextAsync(buffer);
        Assert.True(export.IsCompletedSuccessfully, "the export to memory completed synchronously");
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
