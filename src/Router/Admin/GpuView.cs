using GpuRouter.Gpu;
using GpuRouter.Instances;

namespace GpuRouter.Admin;

/// <summary>
/// One configured GPU as /admin/gpus and /health show it: the config's role, NVML's reading, the
/// share of it the router has reserved and the instances placed there. With telemetry off the
/// NVML fields are null and <see cref="Telemetry"/> says "off"; the rest is the router's own
/// knowledge and is always there.
/// </summary>
internal sealed record GpuView(
    int Index,
    string Role,
    string Telemetry,
    bool? Available,
    string? Error,
    string? Name,
    string? Uuid,
    ulong? MemoryUsedBytes,
    ulong? MemoryTotalBytes,
    ulong? MemoryFreeBytes,
    uint? UtilizationPercent,
    uint? TemperatureCelsius,
    double? PowerWatts,
    DateTimeOffset? ReadAt,
    double ReservedShare,
    IReadOnlyList<GpuInstanceView> Instances)
{
    /// <param name="reserved">GpuPlacement's shares per GPU; null when no instance is Docker-managed (nothing is reserved).</param>
    public static IReadOnlyList<GpuView> All(
        IReadOnlyList<GpuDefinition> configured, bool enabled, GpuSnapshot snapshot,
        IReadOnlyDictionary<int, double>? reserved, InstanceRegistry registry) =>
        [.. configured.Select(gpu => From(gpu, enabled, snapshot, reserved, registry))];

    private static GpuView From(
        GpuDefinition gpu, bool enabled, GpuSnapshot snapshot, IReadOnlyDictionary<int, double>? reserved, InstanceRegistry registry)
    {
        var instances = registry.All
            .Where(r => r.Definition.Gpus.Contains(gpu.Index))
            .Select(r => new GpuInstanceView(
                r.Name, r.Definition.Model.Name, r.Owner.State.ToString(), r.Definition.GpuMemoryUtilization, r.Definition.IsManaged))
            .ToList();
        // Rounded so floating sums such as 0.6 + 0.15 read as 0.75, not 0.7499999999999999.
        var share = Math.Round(reserved?.GetValueOrDefault(gpu.Index) ?? 0, 6);
        var empty = new GpuView(gpu.Index, gpu.Role, "off", null, null, null, null, null, null, null, null, null, null, null, share, instances);
        if (!enabled) return empty;

        var reading = snapshot.Gpus.FirstOrDefault(g => g.Index == gpu.Index);
        if (reading is null)
        {
            // NVML is on but has not read yet, or does not see this index (fewer GPUs than configured).
            var why = snapshot.TakenAt == DateTimeOffset.MinValue ? "no reading yet" : $"NVML does not report a GPU {gpu.Index}";
            return empty with { Telemetry = "on", Available = false, Error = why };
        }
        if (!reading.Available)
        {
            // A failed device keeps only what NVML knew of it; its zeros are not measurements.
            return empty with
            {
                Telemetry = "on", Available = false, Error = reading.Error, Name = reading.Name, Uuid = reading.Uuid,
                MemoryTotalBytes = reading.MemoryTotalBytes, ReadAt = snapshot.TakenAt,
            };
        }
        return empty with
        {
            Telemetry = "on", Available = true, Name = reading.Name, Uuid = reading.Uuid,
            MemoryUsedBytes = reading.MemoryUsedBytes, MemoryTotalBytes = reading.MemoryTotalBytes,
            MemoryFreeBytes = reading.MemoryFreeBytes, UtilizationPercent = reading.UtilizationPercent,
            TemperatureCelsius = reading.TemperatureCelsius, PowerWatts = reading.PowerWatts, ReadAt = snapshot.TakenAt,
        };
    }
}
