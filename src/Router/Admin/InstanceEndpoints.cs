using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Timeline;

namespace GpuRouter.Admin;

/// <summary>/admin/instances: the instances' views, a preload and a drained stop.</summary>
internal static class InstanceEndpoints
{
    public static RouteGroupBuilder MapInstances(this RouteGroupBuilder admin)
    {
        admin.MapGet("/instances", (InstanceRegistry registry, TimeProvider time, StateClock clock) =>
            Results.Json(new { instances = registry.All.Select(r => InstanceView.From(r, time, clock)) }));
        admin.MapPost("/instances/{name}/start", (string name, HttpContext context, InstanceRegistry registry, TimeProvider time, StateClock clock) =>
        {
            if (registry.Find(name) is not { } instance) return UnknownInstance(context, name, registry);
            instance.Owner.Preload();
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return context.Response.WriteAsJsonAsync(InstanceView.From(instance, time, clock));
        });
        admin.MapPost("/instances/{name}/stop", (string name, HttpContext context, InstanceRegistry registry, LifecycleOptions lifecycle, TimeProvider time, StateClock clock) =>
        {
            if (registry.Find(name) is not { } instance) return UnknownInstance(context, name, registry);
            // Drains in the background; progress shows in /admin/instances.
            _ = Task.Run(() => instance.Owner.StopAsync("stopped by admin", lifecycle.DrainTimeout, CancellationToken.None));
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return context.Response.WriteAsJsonAsync(InstanceView.From(instance, time, clock));
        });
        return admin;
    }

    private static Task UnknownInstance(HttpContext context, string name, InstanceRegistry registry) =>
        ErrorResults.WriteAsync(context, Failure.NotFound(
            $"No instance '{name}'. Instances: {string.Join(", ", registry.All.Select(r => r.Name))}."));
}
