using GpuRouter.Instances;
using System.Globalization;
using GpuRouter.Configuration;
using GpuRouter.Gpu;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Checks that a sleep really freed the GPU: where NVML reads the instance's GPUs, at least
/// (share - residualShare) x total must come free within <see cref="Bound"/> (some vLLM versions
/// answer /sleep and keep most of the memory). Measured on the container's own processes where NVML
/// lists them (other programs may start or stop meanwhile), else on the device's used memory.
/// </summary>
internal sealed class SleepVerifier(IGpuTelemetry gpus, TimeProvider time, IProcessTable? processes = null)
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private readonly IProcessTable _processes = processes ?? ProcFsProcessTable.Instance;

    /// <summary>The reading to compare with, taken before the sleep; null where NVML is off.</summary>
    public async Task<GpuSnapshot?> BeforeAsync(CancellationToken ct)
    {
        var snapshot = await gpus.RefreshAsync(ct);
        return gpus.Enabled ? snapshot : null;
    }

    /// <summary>Null when enough came free on every GPU NVML reads (or NVML is off); else what stayed held.</summary>
    public async Task<string?> FreedAsync(InstanceDefinition instance, string containerId, GpuSnapshot? before, CancellationToken ct)
    {
        if (before is null || instance.Model.Sleep is not { } sleep) return null;
        var started = time.GetTimestamp();
        while (true)
        {
            var now = await gpus.RefreshAsync(ct);
            var shortfall = Shortfall(instance, sleep, containerId, before, now);
            if (shortfall is null) return null;
            if (time.GetElapsedTime(started) >= Bound) return shortfall;
            await Task.Delay(Every, time, ct);
        }
    }

    private string? Shortfall(InstanceDefinition instance, SleepOptions sleep, string containerId, GpuSnapshot before, GpuSnapshot now)
    {
        foreach (var index in instance.Gpus)
        {
            var was = before.Gpus.FirstOrDefault(g => g.Index == index);
            var @is = now.Gpus.FirstOrDefault(g => g.Index == index);
            if (was is not { Available: true } || @is is not { Available: true } || was.MemoryTotalBytes == 0) continue;
            var needed = (long)((Thousandths.Of(instance.GpuMemoryUtilization) - Thousandths.Of(sleep.ResidualShare)) / (double)Thousandths.Whole * was.MemoryTotalBytes);
            var heldBefore = HeldBy(was, containerId);
            var freed = heldBefore > 0
                ? (long)heldBefore - (long)HeldBy(@is, containerId)
                : (long)was.MemoryUsedBytes - (long)@is.MemoryUsedBytes;
            if (freed < needed)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"its sleep freed {ByteSize.Format(Math.Max(0, freed))} of GPU {index} within {Bound.TotalSeconds:0} s, but (gpuMemoryUtilization - sleep.residualShare) is {ByteSize.Format(needed)}");
            }
        }
        return null;
    }

    private ulong HeldBy(GpuReading gpu, string containerId)
    {
        ulong held = 0;
        foreach (var process in gpu.Processes)
        {
            if (_processes.Cgroup(process.Pid) is { } cgroup && cgroup.Contains(containerId, StringComparison.Ordinal)) held += process.UsedMemoryBytes;
        }
        return held;
    }
}
