using System.Globalization;
using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>One GPU of one host: what the room-making rule sums shares over (indices are per host).</summary>
internal readonly record struct GpuKey(string Host, int Index)
{
    public static GpuKey Local(int index) => new(HostMemoryOptions.Local, index);

    public override string ToString() =>
        Host == HostMemoryOptions.Local ? Index.ToString(CultureInfo.InvariantCulture) : $"{Host}:{Index.ToString(CultureInfo.InvariantCulture)}";
}
