using System.Globalization;
using GpuRouter.Configuration;
using GpuRouter.Failures;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The VRAM budget's bookkeeping and the driver of the room-making rule: which instances hold which
/// share (full, or residual while asleep), whose weights are in host RAM, and, to reserve a share,
/// the loop that snapshots, asks <see cref="RoomRule.Decide"/>, carries its steps out through the
/// instances (<see cref="IPlacedInstance"/>) and decides again, or waits for a busy holder up to
/// the start's timeout. The decision is pure; everything this class does is bookkeeping or effects.
/// </summary>
internal sealed partial class GpuPlacement(TimeProvider time, ILogger<GpuPlacement> logger, HostMemory? host = null, RemoteBudgets? remote = null)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Lock _lock = new();

    // Value: holds only its residual share (asleep).
    private readonly Dictionary<IPlacedInstance, bool> _reserved = [];
    private readonly HashSet<IPlacedInstance> _inHostMemory = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>An instance was stopped to make room: its name and a short reason (vram, host_memory).</summary>
    public event Action<string, string>? Evicted;

    /// <summary>Reserves the instance's full share on its GPUs (a start, or a wake), making room or waiting as needed.</summary>
    public async Task<Failure?> ReserveAsync(IPlacedInstance instance, TimeSpan timeout, CancellationToken ct)
    {
        // A start runs synchronously inside its owner's lock up to its first await; the snapshot
        // reads the other instances, so leave that stack first.
        await Task.Yield();
        var started = time.GetTimestamp();
        while (true)
        {
            var budget = ReadBudget();
            RoomPlan plan;
            Dictionary<string, IPlacedInstance> byName;
            Task changed;
            lock (_lock)
            {
                if (_reserved.TryGetValue(instance, out var residual) && !residual) return null;
                plan = RoomRule.Decide(Snapshot(budget), Request(instance));
                if (plan.Verdict == RoomVerdict.Fits)
                {
                    _reserved[instance] = false;
                    return null;
                }
                byName = _reserved.Keys.ToDictionary(p => p.Name, StringComparer.Ordinal);
                changed = _changed.Task;
            }
            if (plan.Verdict == RoomVerdict.MakeRoom && await CarryOutAsync(plan.Steps, byName, instance.Name, ct)) continue;
            if (time.GetElapsedTime(started) >= timeout) return NoRoom(instance, plan.Holders, byName);
            await Task.WhenAny(changed, Task.Delay(Poll, time, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The instance no longer holds anything (stopped, failed): its share and its weights in RAM are free.</summary>
    public void Release(IPlacedInstance instance)
    {
        lock (_lock)
        {
            var held = _reserved.Remove(instance);
            if (!_inHostMemory.Remove(instance) && !held) return;
        }
        Signal();
    }

    public bool Holds(IPlacedInstance instance)
    {
        lock (_lock) return _reserved.ContainsKey(instance);
    }

    // Steps in order; false when one could not be done (the instance got a request meanwhile, or
    // changed): the caller decides again on a fresh snapshot.
    private async Task<bool> CarryOutAsync(IReadOnlyList<RoomStep> steps, Dictionary<string, IPlacedInstance> byName, string forInstance, CancellationToken ct)
    {
        foreach (var step in steps)
        {
            if (!byName.TryGetValue(step.Instance, out var victim)) return false;
            if (step.Action == RoomAction.Sleep)
            {
                if (!await victim.TrySleepIdleAsync($"to make room for {forInstance}", ct)) return false;
                continue;
            }
            var budget = step.Reason == RoomRule.HostMemory;
            var reason = budget ? $"stopped so that sleeping weights stay within the host memory budget, to make room for {forInstance}" : $"evicted to make room for {forInstance}";
            if (!await victim.TryStopIdleAsync(reason, ct)) return false;
            if (budget) LogBudgetStop(logger, victim.Name, forInstance);
            else LogEvicted(logger, victim.Name, forInstance);
            Evicted?.Invoke(victim.Name, step.Reason);
            Release(victim);
        }
        return true;
    }

    private RoomSnapshot Snapshot(HostBudget budget)
    {
        var budgets = new Dictionary<string, HostBudget> { [HostMemoryOptions.Local] = budget };
        foreach (var (name, b) in remote?.Read() ?? []) budgets[name] = b;
        return new([.. _reserved.Select(r => Entry(r.Key, r.Value))], budgets);
    }

    private RoomEntry Entry(IPlacedInstance p, bool residual)
    {
        return new RoomEntry(
            p.Name, [.. p.Gpus.Select(g => new GpuKey(p.Host, g))], Thousandths.Of(p.Share), ResidualOf(p), residual, p.Phase,
            p.Busy == 0, p.LastActivity, p.CanSleep, p.Sleep?.HeldHostMemoryBytes ?? 0, _inHostMemory.Contains(p));
    }

    private static RoomRequest Request(IPlacedInstance p) => new(p.Name, [.. p.Gpus.Select(g => new GpuKey(p.Host, g))], Thousandths.Of(p.Share));

    private HostBudget ReadBudget() => host?.Read() ?? new HostBudget(0, 0);

    private static int ResidualOf(IPlacedInstance p) => Thousandths.Of(p.Sleep?.ResidualShare ?? 0);

    private static int HeldOf(IPlacedInstance p, bool residual) => residual ? ResidualOf(p) : Thousandths.Of(p.Share);

    private void Signal()
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            signal = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    private static Failure NoRoom(IPlacedInstance instance, IReadOnlyList<RoomEntry> holders, Dictionary<string, IPlacedInstance> byName)
    {
        var held = string.Join(", ", holders.Select(h =>
            $"{h.Name} ({(h.Held / (double)Thousandths.Whole).ToString("0.##", CultureInfo.InvariantCulture)}, " +
            (h.Phase == RoomPhase.Busy && h.Idle ? "changing state" : $"{(byName.TryGetValue(h.Name, out var p) ? p.Busy : 0)} busy") + ")"));
        return Failure.Unavailable("no_gpu_room",
            $"No room on GPU {string.Join(',', instance.Gpus)}{(instance.Host == HostMemoryOptions.Local ? "" : $" of host {instance.Host}")} for {instance.Name} (needs {instance.Share.ToString("0.##", CultureInfo.InvariantCulture)}): held by {held}, none idle.",
            TimeSpan.FromSeconds(10));
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Stopped {Victim} to make room for {Instance}")]
    private static partial void LogEvicted(ILogger logger, string victim, string instance);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Stopped sleeping {Victim} to keep sleeping weights within the host memory budget, for {Instance}")]
    private static partial void LogBudgetStop(ILogger logger, string victim, string instance);
}
