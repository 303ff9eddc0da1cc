using GpuRouter.Gpu;
using GpuRouter.Hosts;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using Microsoft.AspNetCore.Mvc;

namespace GpuRouter.Admin;

internal static class GpuEndpoints
{
    /// <summary>
    /// Maps <c>GET /admin/gpus</c>: the local GPUs, each remote host's, and the hosts. It reads
    /// NVML afresh, unlike /health, which shows the background poll's last reading so that a
    /// liveness probe never waits on the driver.
    /// </summary>
    public static RouteGroupBuilder MapGpus(this RouteGroupBuilder admin)
    {
        admin.MapGet("/gpus", async (
            GpuOptions gpuOptions, IGpuTelemetry telemetry, InstanceRegistry registry, HostsOptions hosts, HostStatusBoard board,
            [FromServices] GpuPlacement? placement, CancellationToken ct) =>
        {
            var snapshot = telemetry.Enabled ? await telemetry.RefreshAsync(ct) : GpuSnapshot.Empty;
            return Results.Json(new
            {
                gpus = GpuView.All(gpuOptions.Gpus, telemetry.Enabled, snapshot, hosts, board, placement?.Holdings(), registry),
                hosts = HostView.All(board),
            });
        });
        return admin;
    }
}
