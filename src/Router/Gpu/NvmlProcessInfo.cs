using System.Runtime.InteropServices;

namespace GpuRouter.Gpu;

/// <summary>
/// nvmlProcessInfo_t in its v2 layout, which both nvmlDeviceGetComputeRunningProcesses_v2 and _v3
/// fill: 24 bytes, with padding after the pid (sequential layout reproduces C's alignment).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcessInfo
{
    /// <summary>NVML_VALUE_NOT_AVAILABLE: the driver cannot tell (e.g. under WDDM).</summary>
    public const ulong ValueNotAvailable = ulong.MaxValue;

    public uint Pid;
    public ulong UsedGpuMemory;
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
}
