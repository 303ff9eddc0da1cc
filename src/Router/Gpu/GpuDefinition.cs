namespace GpuRouter.Gpu;

/// <param name="MemoryBytes">The card's memory as nvidia-smi shows it (<c>gpus[].memory</c>); null: read it from NVML.</param>
public sealed record GpuDefinition(int Index, string Role, long? MemoryBytes = null);
