namespace GpuRouter.Lifecycle;

/// <summary>
/// The host RAM side of a plan being built: what sleeping weights hold per host, and what may still
/// arrive. An instance's weights count from the moment it starts to fall asleep until its wake has
/// finished, so the one waking and the one falling asleep during a switch both count: the peak.
/// </summary>
internal sealed class HostMemoryLedger
{
    private readonly RoomSnapshot _snapshot;
    private readonly Dictionary<string, long> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _available = new(StringComparer.Ordinal);

    public HostMemoryLedger(RoomSnapshot snapshot, Func<RoomEntry, bool> counts)
    {
        _snapshot = snapshot;
        foreach (var e in snapshot.Entries.Where(e => e.InHostMemory && counts(e))) _held[e.Host] = Held(e.Host) + e.HostMemory;
    }

    /// <summary>
    /// Whether <paramref name="entry"/>'s weights fit in its host's RAM, stopping the least recently
    /// used settled sleepers first where they would not: the sleepers to stop (possibly none), or
    /// null when even that is not enough. Nothing is committed; see <see cref="Commit"/>.
    /// </summary>
    public List<RoomEntry>? RoomFor(RoomEntry entry, Func<RoomEntry, bool> stoppable, bool inRamAlready = false)
    {
        if (entry.HostMemory == 0) return [];
        var budget = _snapshot.BudgetOf(entry.Host);
        var held = Held(entry.Host);
        var available = Available(entry.Host, budget);
        var stops = new List<RoomEntry>();
        var sleepers = _snapshot.Entries
            .Where(e => e.Host == entry.Host && e.Name != entry.Name && e.Phase == RoomPhase.Asleep && e.Idle && e.InHostMemory && stoppable(e))
            .OrderBy(e => e.LastActivity);
        using var next = sleepers.GetEnumerator();
        while (held + entry.HostMemory > budget.Budget || (!inRamAlready && entry.HostMemory > available))
        {
            if (!next.MoveNext()) return null;
            stops.Add(next.Current);
            held -= next.Current.HostMemory;
            available = SaturatingAdd(available, next.Current.HostMemory);
        }
        return stops;
    }

    /// <summary>Records the plan: the stopped sleepers' weights leave RAM, the new sleeper's arrive.</summary>
    public void Commit(RoomEntry sleeper, IEnumerable<RoomEntry> stopped, bool inRamAlready = false)
    {
        foreach (var s in stopped) Release(s);
        var budget = _snapshot.BudgetOf(sleeper.Host);
        _held[sleeper.Host] = Held(sleeper.Host) + sleeper.HostMemory;
        if (!inRamAlready) _available[sleeper.Host] = Available(sleeper.Host, budget) - sleeper.HostMemory;
    }

    /// <summary>A planned sleeper or a sleeper is stopped instead: its weights leave RAM.</summary>
    public void Release(RoomEntry entry)
    {
        var budget = _snapshot.BudgetOf(entry.Host);
        _held[entry.Host] = Held(entry.Host) - entry.HostMemory;
        _available[entry.Host] = SaturatingAdd(Available(entry.Host, budget), entry.HostMemory);
    }

    private long Held(string host) => _held.GetValueOrDefault(host);

    private long Available(string host, HostBudget budget) => _available.TryGetValue(host, out var a) ? a : budget.Available;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
