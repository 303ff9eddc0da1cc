using System.Runtime.InteropServices;

namespace GpuRouter.Gpu;

/// <summary>nvmlUtilization_t: percentages over NVML's last sample period.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlUtilization
{
    public uint Gpu;
    public uint Memory;
}
