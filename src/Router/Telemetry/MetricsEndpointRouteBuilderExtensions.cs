using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace GpuRouter.Telemetry;

public static class MetricsEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET /metrics</c>: the Prometheus text format of <see cref="RouterMetrics"/>.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", WriteMetricsAsync);
        return app;
    }

    // The whole exposition is written before the response starts, so a failure is a plain 500
    // rather than a truncated body, and Content-Length is known.
    private static async Task WriteMetricsAsync(HttpContext context, [FromServices] RouterMetrics metrics)
    {
        using var buffer = new PooledBufferWriter();
        metrics.WriteTo(buffer);
        context.Response.ContentType = ExpositionWriter.ContentType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
