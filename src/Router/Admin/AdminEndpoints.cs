using GpuRouter.Timeline;
using GpuRouter.Configuration;
using GpuRouter.Health;
using GpuRouter.Http;
using GpuRouter.Routing;

namespace GpuRouter.Admin;

/// <summary>Admin routes; SecurityMiddleware lets only admin keys through to /admin.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/instances", (InstanceRegistry registry, TimeProvider time, StateClock clock) =>
            Results.Json(new { instances = registry.All.Select(r => InstanceView.From(r, time, clock)) }));
        admin.MapPost("/instances/{name}/start", (string name, HttpContext context, InstanceRegistry registry, TimeProvider time, StateClock clock) =>
        {
            if (registry.Find(name) is not { } instance) return UnknownInstance(context, name, registry);
            instance.Owner.Preload();
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return context.Response.WriteAsJsonAsync(InstanceView.From(instance, time, clock));
        });
        admin.MapPost("/instances/{name}/stop", (string name, HttpContext context, InstanceRegistry registry, RoutingSettings routing, TimeProvider time, StateClock clock) =>
        {
            if (registry.Find(name) is not { } instance) return UnknownInstance(context, name, registry);
            // Drains in the background; progress shows in /admin/instances.
            _ = Task.Run(() => instance.Owner.StopAsync("stopped by admin", routing.DrainTimeout, CancellationToken.None));
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return context.Response.WriteAsJsonAsync(InstanceView.From(instance, time, clock));
        });
        return app;
    }

    private static Task UnknownInstance(HttpContext context, string name, InstanceRegistry registry) =>
        ErrorResults.WriteAsync(context, RouterError.NotFound(
            $"No instance '{name}'. Instances: {string.Join(", ", registry.All.Select(r => r.Name))}."));
}
