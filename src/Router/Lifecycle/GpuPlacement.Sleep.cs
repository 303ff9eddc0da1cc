using GpuRouter.Configuration;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

// Sleep bookkeeping: residual shares, weights in host RAM, and the two decisions about sleeping
// that are not about making room for someone (sleep.after, the night switch).
internal sealed partial class GpuPlacement : ILeavePlanner
{
    /// <summary>Its weights start to count against the host budget: it begins to fall asleep.</summary>
    public void EnterHostMemory(IPlacedInstance instance)
    {
        lock (_lock)
        {
            if ((instance.Sleep?.HeldHostMemoryBytes ?? 0) > 0) _inHostMemory.Add(instance);
        }
    }

    /// <summary>Its weights are back on the GPU (a finished wake) or gone.</summary>
    public void LeaveHostMemory(IPlacedInstance instance)
    {
        lock (_lock)
        {
            if (!_inHostMemory.Remove(instance)) return;
        }
        Signal();
    }

    /// <summary>A sleep was verified: the instance now holds only its residual share.</summary>
    public void ToResidual(IPlacedInstance instance)
    {
        lock (_lock)
        {
            if (!_reserved.ContainsKey(instance)) return;
            _reserved[instance] = true;
        }
        Signal();
    }

    /// <summary>An adopted container that is asleep: its residual share and its weights in RAM, as they are.</summary>
    public void AdoptAsleep(IPlacedInstance instance)
    {
        lock (_lock)
        {
            _reserved[instance] = true;
            if ((instance.Sleep?.HeldHostMemoryBytes ?? 0) > 0) _inHostMemory.Add(instance);
        }
    }

    /// <summary>Host RAM the sleeping weights take now (router_host_memory_sleeping_bytes).</summary>
    public long SleepingHostBytes()
    {
        lock (_lock) return _inHostMemory.Sum(p => p.Sleep?.HeldHostMemoryBytes ?? 0);
    }

    /// <summary>
    /// Its <c>sleep.after</c> passed: whether it may fall asleep on its own within the host budget,
    /// stopping the least recently used sleepers first where needed. False: it stays awake.
    /// </summary>
    public async Task<bool> SleepOnItsOwnAsync(IPlacedInstance instance, CancellationToken ct)
    {
        var budget = ReadBudget();
        IReadOnlyList<RoomStep>? steps;
        Dictionary<string, IPlacedInstance> byName;
        lock (_lock)
        {
            steps = RoomRule.SleepOnItsOwn(Snapshot(budget), instance.Name);
            byName = _reserved.Keys.ToDictionary(p => p.Name, StringComparer.Ordinal);
        }
        if (steps is null || !await CarryOutAsync(steps, byName, instance.Name, ct)) return false;
        return await instance.TrySleepIdleAsync($"idle for longer than its sleep.after ({Duration.Format(instance.Sleep?.After ?? TimeSpan.Zero)})", ct);
    }

    public IReadOnlySet<string> MaySleep(IReadOnlyList<InstanceDefinition> leaving, IReadOnlyList<InstanceDefinition> arriving)
    {
        var budget = ReadBudget();
        lock (_lock)
        {
            var snapshot = Snapshot(budget);
            var names = leaving.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            var leavingEntries = snapshot.Entries.Where(e => names.Contains(e.Name)).ToList();
            var requests = arriving
                .Select(d => new RoomRequest(d.Name, [.. d.Gpus.Select(g => new GpuKey(d.Host ?? HostMemoryOptions.Local, g))], Thousandths.Of(d.GpuMemoryUtilization)))
                .ToList();
            return RoomRule.SleepBeside(snapshot, leavingEntries, requests);
        }
    }
}
