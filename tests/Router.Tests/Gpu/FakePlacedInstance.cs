using GpuRouter.Lifecycle;

namespace Router.Tests.Gpu;

/// <summary>A reservation holder for GpuPlacement that is never idle, so nothing evicts it.</summary>
internal sealed class FakePlacedInstance(string name, double share, params int[] gpus) : IPlacedInstance
{
    public string Name => name;

    /// <summary>The host its GPUs are on; the local one unless a test says otherwise.</summary>
    public string Host { get; init; } = "local";

    public IReadOnlyList<int> Gpus => gpus;

    public double Share => share;

    public long LastActivity => 0;

    public int Busy => 1;

    public Task<bool> TryStopIdleAsync(string reason, CancellationToken ct) => Task.FromResult(false);
}
