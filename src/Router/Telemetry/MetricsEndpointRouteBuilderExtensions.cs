using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace GpuRouter.Telemetry;

public static class MetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /metrics</c>: prometheus-net's exporter over <see cref="RouterMetrics"/>'s own
    /// registry, always in the text format 0.0.4 (no OpenMetrics, whatever the Accept header says).
    /// </summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        var settings = new MetricServerMiddleware.Settings
        {
            Registry = app.ServiceProvider.GetRequiredService<RouterMetrics>().Registry,
            EnableOpenMetrics = false,
        };
        var exporter = app.CreateApplicationBuilder()
            .Use(WriteWholeAsync)
            .UseMiddleware<MetricServerMiddleware>(settings)
            .Build();
        app.MapGet("/metrics", exporter);
        return app;
    }

    // The exporter streams as it serializes; the router has always written the whole exposition
    // before the response starts, so a failure is a plain 500 rather than a truncated body, and
    // Content-Length is known. A scrape is tens of kilobytes every few seconds.
    private static async Task WriteWholeAsync(HttpContext context, RequestDelegate next)
    {
        var body = context.Response.Body;
        using var buffer = new MemoryStream(16 * 1024);
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        context.Response.ContentLength = buffer.Length;
        await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }
}
