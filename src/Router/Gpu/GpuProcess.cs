namespace GpuRouter.Gpu;

/// <summary>A compute process on a GPU and the device memory NVML says it holds.</summary>
public readonly record struct GpuProcess(uint Pid, ulong UsedMemoryBytes);
