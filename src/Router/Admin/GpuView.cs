using GpuRouter.Gpu;
using GpuRouter.Hosts;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;

namespace GpuRouter.Admin;

/// <summary>
/// One configured GPU as /admin/gpus and /health show it: its host, the config's role, NVML's
/// reading, the share of it the router has reserved and the instances placed there. With telemetry
/// off the NVML fields are null and <see cref="Telemetry"/> says "off"; a remote host's GPU is never
/// read (NVML is read for the local GPUs only): "remote", its memory from <c>hosts[].gpus[].memory</c>.
/// The rest is the router's own knowledge and is always there.
/// </summary>
/// <param name="Measured">NVML read this GPU for this answer (local, telemetry on, available).</param>
/// <param name="MemoryBytes">The card's memory the reservations are of: NVML's total, else the config's <c>memory</c>; null: unknown.</param>
/// <param name="ReservedBytes"><paramref name="ReservedShare"/> of <paramref name="MemoryBytes"/>; null while that is unknown.</param>
/// <param name="Reachability">The host's engine: unknown, reachable or unreachable.</param>
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
    IReadOnlyList<GpuInstanceView> Instances,
    string Host,
    bool Measured,
    long? MemoryBytes,
    long? ReservedBytes,
    string Reachability)
{
    private const string Local = HostsOptions.LocalName;

    /// <summary>The local GPUs (NVML), then each host's in config order (the router's reservations).</summary>
    /// <param name="holdings">GpuPlacement's holdings; null when no instance is Docker-managed (nothing is reserved).</param>
    public static IReadOnlyList<GpuView> All(
        IReadOnlyList<GpuDefinition> configured, bool enabled, GpuSnapshot snapshot, HostsOptions hosts, HostStatusBoard board,
        IReadOnlyDictionary<GpuKey, IReadOnlyDictionary<string, double>>? holdings, InstanceRegistry registry)
    {
        var local = configured.Select(gpu => FromLocal(gpu, enabled, snapshot, board, holdings, registry));
        var remote = hosts.Hosts.SelectMany(h => h.Gpus.Select(gpu => FromRemote(h, gpu, board, holdings, registry)));
        return [.. local, .. remote];
    }

    private static GpuView FromLocal(
        GpuDefinition gpu, bool enabled, GpuSnapshot snapshot, HostStatusBoard board,
        IReadOnlyDictionary<GpuKey, IReadOnlyDictionary<string, double>>? holdings, InstanceRegistry registry)
    {
        var reading = enabled ? snapshot.Gpus.FirstOrDefault(g => g.Index == gpu.Index) : null;
        var memory = reading?.MemoryTotalBytes is { } total and > 0 ? (long)total : gpu.MemoryBytes;
        var empty = Placed(Local, gpu.Index, gpu.Role, "off", memory, board, holdings, registry);
        if (!enabled) return empty;

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
            Telemetry = "on", Available = true, Measured = true, Name = reading.Name, Uuid = reading.Uuid,
            MemoryUsedBytes = reading.MemoryUsedBytes, MemoryTotalBytes = reading.MemoryTotalBytes,
            MemoryFreeBytes = reading.MemoryFreeBytes, UtilizationPercent = reading.UtilizationPercent,
            TemperatureCelsius = reading.TemperatureCelsius, PowerWatts = reading.PowerWatts, ReadAt = snapshot.TakenAt,
        };
    }

    private static GpuView FromRemote(
        GpuHostOptions host, HostGpu gpu, HostStatusBoard board,
        IReadOnlyDictionary<GpuKey, IReadOnlyDictionary<string, double>>? holdings, InstanceRegistry registry) =>
        Placed(host.Name, gpu.Index, gpu.Role, "remote", gpu.MemoryBytes, board, holdings, registry);

    // What the router knows of a GPU without NVML: who is placed there and what each holds now.
    private static GpuView Placed(
        string host, int index, string role, string telemetry, long? memory, HostStatusBoard board,
        IReadOnlyDictionary<GpuKey, IReadOnlyDictionary<string, double>>? holdings, InstanceRegistry registry)
    {
        var held = holdings?.GetValueOrDefault(new GpuKey(host, index));
        var instances = registry.All
            .Where(r => (r.Definition.Host ?? Local) == host && r.Definition.Gpus.Contains(index))
            .Select(r =>
            {
                var share = Round(held?.GetValueOrDefault(r.Name) ?? 0);
                return new GpuInstanceView(
                    r.Name, r.Definition.Model.Name, r.Owner.State.ToString(), r.Definition.GpuMemoryUtilization,
                    r.Definition.IsManaged, share, Bytes(share, memory));
            })
            .ToList();
        var reserved = Round(held?.Values.Sum() ?? 0);
        return new GpuView(
            index, role, telemetry, null, null, null, null, null, null, null, null, null, null, null, reserved, instances,
            host, false, memory, Bytes(reserved, memory), HostView.Text(board.Of(host).Reachability));
    }

    // Rounded so floating sums such as 0.6 + 0.15 read as 0.75, not 0.7499999999999999.
    private static double Round(double share) => Math.Round(share, 6);

    private static long? Bytes(double share, long? memory) => memory is { } m ? (long)Math.Round(share * m) : null;
}
