namespace GpuRouter.Gpu;

/// <summary>Stands in for <see cref="IGpuTelemetry"/> when the GPU feature is not registered at all.</summary>
internal sealed class DisabledGpuTelemetry : IGpuTelemetry
{
    public bool Enabled => false;

    public GpuSnapshot Current => GpuSnapshot.Empty;

    public Task<GpuSnapshot> RefreshAsync(CancellationToken cancellationToken) => Task.FromResult(GpuSnapshot.Empty);
}
