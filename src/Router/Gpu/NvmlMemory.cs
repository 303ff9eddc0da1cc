using System.Runtime.InteropServices;

namespace GpuRouter.Gpu;

/// <summary>nvmlMemory_t: three unsigned long longs in this order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}
