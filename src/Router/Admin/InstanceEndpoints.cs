using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Timeline;

namespace GpuRouter.Admin;

/// <summary>/admin/instances: the instances' views, a preload, a drained stop, a sleep and a wake.</summary>
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
        admin.MapPost("/instances/{name}/sleep", (string name, HttpContext context, InstanceRegistry registry, LifecycleOptions lifecycle, TimeProvider time, StateClock clock) =>
        {
            if (registry.Find(name) is not { } instance) return UnknownInstance(context, name, registry);
            // Once it is idle (up to routing.drainTimeout), in the background; progress shows in /admin/instances.
            if (instance.Owner.RequestSleep("put to sleep by admin", lifecycle.DrainTimeout) is { } refusal) return ErrorResults.WriteAsync(context, refusal);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return context.Response.WriteAsJsonAsync(InstanceView.From(instance, time, clock));
        });
        admin.MapPost("/instances/{name}/wake", (string name, HttpContext context, InstanceRegistry registry, TimeProvider time, StateClock clock) =>
        {
            if (registry.Find(name) is not { } instance) return UnknownInstance(context, name, registry);
            // The same single-flight wake a request gets (a stopped instance is started).
            instance.Owner.Preload();
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return context.Response.WriteAsJsonAsync(InstanceView.From(instance, time, clock));
        });
        return admin;
    }

    private static Task UnknownInstance(HttpContext context, string name, InstanceRegistry registry) =>
        ErrorResults.WriteAsync(context, Failure.NotFound(
            $"No instance '{name}'. Instances: {string.Join(", ", registry.All.Select(r => r.Name))}."));
}
