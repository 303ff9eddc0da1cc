using GpuRouter.Timeline;
using GpuRouter.Admin;
using GpuRouter.Gpu;
using GpuRouter.Hosts;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Schedule;
using Microsoft.AspNetCore.Mvc;

namespace GpuRouter.Hosting;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // GPUs from the background poll's last reading: a liveness probe must never wait on NVML.
        app.MapGet("/health", (
            InstanceRegistry registry, IModeState mode, TimeProvider time, GpuOptions gpuOptions, IGpuTelemetry gpus,
            StateClock clock, HostsOptions hosts, HostStatusBoard board, [FromServices] GpuPlacement? placement) => Results.Json(new
            {
                status = "ok",
                mode = mode.Mode.ToString().ToLowerInvariant(),
                // An override holds the mode it names; "auto" follows the schedule to nextSwitch.
                @override = mode.IsHeld ? mode.Mode.ToString().ToLowerInvariant() : "auto",
                nextSwitch = mode.NextSwitch,
                instances = registry.All.Select(r => InstanceView.From(r, time, clock)),
                gpus = GpuView.All(gpuOptions.Gpus, gpus.Enabled, gpus.Current, hosts, board, placement?.Holdings(), registry),
                // Shown, never gating /ready: an unreachable remote host must not get the router restarted.
                hosts = HostView.All(board),
            }));
        app.MapGet("/ready", (Readiness readiness) => readiness.IsReady
            ? Results.Json(new { status = "ready" })
            : Results.Json(new { status = "starting", waitingFor = readiness.Pending }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
