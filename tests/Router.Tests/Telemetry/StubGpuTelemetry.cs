using GpuRouter.Gpu;

namespace Router.Tests.Telemetry;

/// <summary>GPU telemetry with a snapshot the test sets, for the router_gpu_* gauges.</summary>
internal sealed class StubGpuTelemetry(bool enabled, params GpuReading[] gpus) : IGpuTelemetry
{
    public bool Enabled => enabled;

    public GpuSnapshot Current { get; set; } = new(DateTimeOffset.UnixEpoch, gpus);

    public Task<GpuSnapshot> RefreshAsync(CancellationToken cancellationToken) => Task.FromResult(Current);
}
