using GpuRouter.Failures;
using GpuRouter.Telemetry;

namespace GpuRouter.Http;

/// <summary>
/// A request refused before it reached a model (the security layer, an unreadable request): the
/// error written, and the request counted in router_requests_total with no model or instance.
/// </summary>
public static class Refusals
{
    public static Task WriteAsync(HttpContext context, RouterMetrics metrics, Failure failure, string source) =>
        WriteAsync(context, metrics, RouterError.From(failure), source);

    public static Task WriteAsync(HttpContext context, RouterMetrics metrics, RouterError error, string source)
    {
        metrics.RecordRequest(new Telemetry.RequestRecord("", "", "", source, error.Status, TimeSpan.Zero, TimeSpan.Zero, null, 0, 0));
        return ErrorResults.WriteAsync(context, error);
    }
}
