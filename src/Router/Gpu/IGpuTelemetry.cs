namespace GpuRouter.Gpu;

/// <summary>What the router knows about its GPUs, from NVML.</summary>
public interface IGpuTelemetry
{
    /// <summary>False when NVML could not be loaded or initialized; <see cref="Current"/> is then empty.</summary>
    bool Enabled { get; }

    /// <summary>The latest reading of the background poll.</summary>
    GpuSnapshot Current { get; }

    /// <summary>Reads every GPU now (placement asks before a start) and makes that reading current.</summary>
    Task<GpuSnapshot> RefreshAsync(CancellationToken cancellationToken);
}
