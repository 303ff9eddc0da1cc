using GpuRouter.Http;
using GpuRouter.Telemetry;

namespace GpuRouter.Security;

/// <summary>How the security layer says no: the error written, and the request counted with no model or instance.</summary>
internal static class Refusals
{
    public static Task WriteAsync(HttpContext context, RouterMetrics metrics, RouterError error, string source)
    {
        metrics.RecordRequest(new Telemetry.RequestRecord("", "", "", source, error.Status, TimeSpan.Zero, TimeSpan.Zero, null, 0, 0));
        return ErrorResults.WriteAsync(context, error);
    }
}
