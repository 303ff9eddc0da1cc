namespace GpuRouter.Gpu;

/// <summary>
/// One GPU as NVML saw it. A device that failed to answer has <see cref="Available"/> false,
/// NVML's error string in <see cref="Error"/>, its last known name, UUID and total memory, and zeros elsewhere.
/// </summary>
public sealed record GpuReading
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required string Uuid { get; init; }
    public required bool Available { get; init; }
    public string? Error { get; init; }
    public ulong MemoryTotalBytes { get; init; }
    public ulong MemoryUsedBytes { get; init; }
    public ulong MemoryFreeBytes { get; init; }
    public uint UtilizationPercent { get; init; }
    public uint TemperatureCelsius { get; init; }
    public double PowerWatts { get; init; }
    public IReadOnlyList<GpuProcess> Processes { get; init; } = [];
}
