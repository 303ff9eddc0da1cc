using GpuRouter.Instances;
using System.Globalization;
using GpuRouter.Gpu;
using GpuRouter.Failures;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The second half of the VRAM rule: where NVML answers, an instance starts only if each of its
/// GPUs has at least gpuMemoryUtilization × total free, after the router's own evictions. That is
/// the test vLLM itself applies at start-up, so a start this refuses would have failed minutes
/// later inside the container; refusing here names who holds the memory instead.
/// </summary>
internal sealed partial class GpuMemoryCheck(
    IGpuTelemetry gpus, ManagedInstances managed, TimeProvider time, ILogger<GpuMemoryCheck> logger, IProcessTable? processes = null)
{
    /// <summary>vLLM frees its memory a moment after its container stops, so a fresh eviction may still show as used.</summary>
    internal static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(5);

    internal static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(250);

    private const double Gib = 1024.0 * 1024 * 1024;

    // Null in production: the DI container passes the parameter's default, and the host's /proc is read.
    private readonly IProcessTable _processes = processes ?? ProcFsProcessTable.Instance;

    /// <summary>Checks the instance's GPUs; processes whose cgroup names one of <paramref name="ourContainerIds"/> are the router's.</summary>
    public Task<Failure?> CheckAsync(InstanceDefinition instance, IReadOnlyCollection<string> ourContainerIds, CancellationToken ct) =>
        RunAsync(instance, () => ourContainerIds, ownContainerId: null, ct);

    /// <summary>
    /// The owner's entry: our containers are those the owners know now. Memory held by the
    /// instance's own container counts as free for it, because the start reuses a running
    /// container with the same spec (adoption) instead of starting a second one.
    /// </summary>
    public async Task<Failure?> CheckAsync(InstanceDefinition instance, string? ownContainerId, CancellationToken ct)
    {
        // An owner's start runs synchronously inside the owner's lock up to its first real await.
        // Leave that stack before anything reads the other owners' ContainerId (each behind its own
        // lock): two owners starting at once must never wait for each other's lock.
        await Task.Yield();
        return await RunAsync(instance, () => [.. managed.All.Select(o => o.ContainerId).OfType<string>()], ownContainerId, ct);
    }

    private async Task<Failure?> RunAsync(
        InstanceDefinition instance, Func<IReadOnlyCollection<string>> ours, string? ownContainerId, CancellationToken ct)
    {
        if (instance.Gpus.Count == 0) return null;
        var started = time.GetTimestamp();
        var logged = false;
        while (true)
        {
            // Refresh before asking Enabled: it opens NVML if no one has yet (adoption may start
            // instances before the poller's own start), and reports off when it cannot.
            var snapshot = await gpus.RefreshAsync(ct);
            if (!gpus.Enabled) return null;
            if (Shortfall(instance, snapshot, ownContainerId) is not { } shortfall) return null;
            var (gpu, needed, available) = shortfall;
            if (time.GetElapsedTime(started) >= RetryFor)
            {
                // Our containers as of now, not as of the first try: starts and stops happened meanwhile.
                var error = Refusal(instance, gpu, needed, available, ours(), ownContainerId);
                LogRefused(logger, instance.Name, error.Message);
                return error;
            }
            if (!logged)
            {
                logged = true;
                LogWaiting(logger, instance.Name, gpu.Index, available / Gib, needed / Gib);
            }
            await Task.Delay(RetryEvery, time, ct);
        }
    }

    // The first of the instance's GPUs without enough free memory. A GPU NVML does not answer for
    // is not checked: the reservation of shares (GpuPlacement) still holds there.
    private (GpuReading Gpu, ulong Needed, ulong Available)? Shortfall(InstanceDefinition instance, GpuSnapshot snapshot, string? ownContainerId)
    {
        foreach (var index in instance.Gpus)
        {
            var gpu = snapshot.Gpus.FirstOrDefault(g => g.Index == index);
            if (gpu is not { Available: true } || gpu.MemoryTotalBytes == 0) continue;
            var needed = (ulong)(instance.GpuMemoryUtilization * gpu.MemoryTotalBytes);
            var available = gpu.MemoryFreeBytes + HeldBy(gpu, ownContainerId);
            if (available < needed) return (gpu, needed, available);
        }
        return null;
    }

    private ulong HeldBy(GpuReading gpu, string? containerId)
    {
        if (string.IsNullOrEmpty(containerId)) return 0;
        ulong held = 0;
        foreach (var process in gpu.Processes)
        {
            if (_processes.Cgroup(process.Pid) is { } cgroup && Names(cgroup, containerId))
                held += process.UsedMemoryBytes;
        }
        return held;
    }

    private Failure Refusal(
        InstanceDefinition instance, GpuReading gpu, ulong needed, ulong available, IReadOnlyCollection<string> ours, string? ownContainerId)
    {
        var foreign = gpu.Processes
            .Where(p => !IsOurs(p.Pid, ours, ownContainerId))
            .OrderByDescending(p => p.UsedMemoryBytes)
            .Select(p => $"pid {p.Pid} {_processes.Name(p.Pid) ?? "(exited or hidden)"} ({Format(p.UsedMemoryBytes)})")
            .ToList();
        var holders = foreign.Count > 0
            ? $"Held by processes the router did not start: {string.Join(", ", foreign)}."
            : gpu.Processes.Count > 0
                ? $"Held by the router's own containers, which did not free it within {RetryFor.TotalSeconds:0} s."
                : "NVML lists no compute process holding it (graphics processes such as a desktop are not listed).";
        var share = instance.GpuMemoryUtilization.ToString("0.##", CultureInfo.InvariantCulture);
        return Failure.Unavailable("gpu_memory_in_use",
            $"GPU {gpu.Index} has {Format(available)} free but {instance.Name} needs {Format(needed)} " +
            $"(gpuMemoryUtilization {share} of {Format(gpu.MemoryTotalBytes)}). {holders}",
            TimeSpan.FromSeconds(30));
    }

    private bool IsOurs(uint pid, IReadOnlyCollection<string> ours, string? ownContainerId) =>
        _processes.Cgroup(pid) is { } cgroup &&
        (ours.Any(id => Names(cgroup, id)) || Names(cgroup, ownContainerId));

    // Docker's cgroup paths carry the full container id (…/docker-<id>.scope or …/docker/<id>).
    private static bool Names(string cgroup, string? containerId) =>
        !string.IsNullOrEmpty(containerId) && cgroup.Contains(containerId, StringComparison.Ordinal);

    private static string Format(ulong bytes) => (bytes / Gib).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";

    [LoggerMessage(EventId = 3500, Level = LogLevel.Information,
        Message = "{Instance} waits for GPU {Gpu} memory: {FreeGib:0.0} GiB free, {NeededGib:0.0} GiB needed")]
    private static partial void LogWaiting(ILogger logger, string instance, int gpu, double freeGib, double neededGib);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "{Instance} cannot start: {Reason}")]
    private static partial void LogRefused(ILogger logger, string instance, string reason);
}
