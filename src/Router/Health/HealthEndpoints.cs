using GpuRouter.Routing;
using GpuRouter.Schedule;

namespace GpuRouter.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (InstanceRegistry registry, IModeState mode, TimeProvider time) => Results.Json(new
        {
            status = "ok",
            mode = mode.Mode.ToString().ToLowerInvariant(),
            instances = registry.All.Select(r => InstanceView.From(r, time)),
        }));
        app.MapGet("/ready", (Readiness readiness) => readiness.IsReady
            ? Results.Json(new { status = "ready" })
            : Results.Json(new { status = "starting", waitingFor = readiness.Pending }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
