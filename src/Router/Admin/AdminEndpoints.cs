using GpuRouter.Health;
using GpuRouter.Routing;

namespace GpuRouter.Admin;

/// <summary>Admin routes; SecurityMiddleware lets only admin keys through to /admin.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/instances", (InstanceRegistry registry, TimeProvider time) =>
            Results.Json(new { instances = registry.All.Select(r => InstanceView.From(r, time)) }));
        return app;
    }
}
