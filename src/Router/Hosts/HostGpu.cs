namespace GpuRouter.Hosts;

/// <summary>A GPU of a remote host, by its index there (indices are per host).</summary>
/// <param name="MemoryBytes">The card's memory as nvidia-smi shows it; null: unknown (NVML is read for the local GPUs only).</param>
public sealed record HostGpu(int Index, string Role, long? MemoryBytes);
