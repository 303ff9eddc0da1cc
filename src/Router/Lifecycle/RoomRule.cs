using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The VRAM rule as a pure function over a snapshot: on each (host, GPU) the reservations may sum
/// to at most 1.0 (in thousandths; a sleeper reserves only its residual share). To make room for a
/// start or a wake: idle instances that can sleep are put to sleep first, least recently used
/// first, within the host's RAM budget (the least recently used sleepers are stopped when a sleep
/// would exceed it; when even that is not enough the instance is stopped instead); then idle
/// instances are stopped, least recently used first, sleepers included. Instances with requests in
/// flight or queued, or in the middle of a start, sleep or wake, are never touched: when the room
/// cannot be made without them, the answer is to wait, and nothing is done meanwhile.
/// </summary>
internal static class RoomRule
{
    public const string Vram = "vram";
    public const string HostMemory = "host_memory";

    public static RoomPlan Decide(RoomSnapshot snapshot, RoomRequest request)
    {
        var others = snapshot.Entries.Where(e => e.Name != request.Name).ToList();
        var free = request.Gpus.Distinct().ToDictionary(g => g, g => Thousandths.Whole - others.Where(e => e.Gpus.Contains(g)).Sum(e => e.Held));
        bool Fits() => free.Values.All(f => f >= request.Share);
        if (Fits()) return RoomPlan.Fit;

        var steps = new List<RoomStep>();
        var planned = new Dictionary<string, RoomAction>(StringComparer.Ordinal);
        var ledger = new HostMemoryLedger(snapshot, _ => true);
        void Free(RoomEntry e, int amount)
        {
            foreach (var g in e.Gpus.Where(free.ContainsKey)) free[g] += amount;
        }
        var candidates = others.Where(e => e.Movable && e.Gpus.Any(free.ContainsKey)).OrderBy(e => e.LastActivity).ToList();

        foreach (var e in candidates.Where(e => e.Phase == RoomPhase.Awake && e.CanSleep))
        {
            if (Fits()) break;
            if (ledger.RoomFor(e, s => s.Name != request.Name && !planned.ContainsKey(s.Name)) is not { } stops) continue;
            foreach (var sleeper in stops)
            {
                steps.Add(new RoomStep(sleeper.Name, RoomAction.Stop, HostMemory));
                planned[sleeper.Name] = RoomAction.Stop;
                Free(sleeper, sleeper.Held);
            }
            ledger.Commit(e, stops);
            steps.Add(new RoomStep(e.Name, RoomAction.Sleep, Vram));
            planned[e.Name] = RoomAction.Sleep;
            Free(e, e.Share - e.Residual);
        }

        foreach (var e in candidates)
        {
            if (Fits()) break;
            var isPlanned = planned.TryGetValue(e.Name, out var action);
            if (isPlanned && action == RoomAction.Stop) continue;
            if (isPlanned)
            {
                // Sleeping it was not enough: stop it instead, which frees its residual share too.
                steps.RemoveAll(s => s.Instance == e.Name);
                ledger.Release(e);
                Free(e, e.Residual);
            }
            else
            {
                Free(e, e.Held);
                if (e.InHostMemory) ledger.Release(e);
            }
            steps.Add(new RoomStep(e.Name, RoomAction.Stop, Vram));
            planned[e.Name] = RoomAction.Stop;
        }

        if (Fits()) return new RoomPlan(RoomVerdict.MakeRoom, steps, []);
        var holders = others.Where(e => e.Gpus.Any(free.ContainsKey) && !e.Movable).ToList();
        return new RoomPlan(RoomVerdict.Wait, [], holders);
    }

    /// <summary>
    /// Whether <paramref name="name"/> may fall asleep on its own (its <c>sleep.after</c> passed):
    /// the sleepers to stop first for the RAM budget (possibly none), or null when it does not fit.
    /// </summary>
    public static IReadOnlyList<RoomStep>? SleepOnItsOwn(RoomSnapshot snapshot, string name)
    {
        if (snapshot.Entries.FirstOrDefault(e => e.Name == name) is not { Phase: RoomPhase.Awake, CanSleep: true } entry) return null;
        var stops = new HostMemoryLedger(snapshot, _ => true).RoomFor(entry, _ => true);
        return stops?.Select(s => new RoomStep(s.Name, RoomAction.Stop, HostMemory)).ToList();
    }

    /// <summary>
    /// The night switch: which leaving instances may sleep instead of stopping. The arriving ones
    /// get their full shares, the staying holders keep theirs, and each leaving instance that can
    /// sleep (most recently used first, the likeliest to be asked for again) sleeps when its
    /// residual share still fits on each of its GPUs and its weights fit in the host's RAM.
    /// </summary>
    public static IReadOnlySet<string> SleepBeside(RoomSnapshot snapshot, IReadOnlyCollection<RoomEntry> leaving, IReadOnlyList<RoomRequest> arriving)
    {
        var leavingNames = leaving.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var arrivingNames = arriving.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var load = new Dictionary<GpuKey, int>();
        void Add(GpuKey g, int amount) => load[g] = load.GetValueOrDefault(g) + amount;
        foreach (var a in arriving) foreach (var g in a.Gpus) Add(g, a.Share);
        foreach (var e in snapshot.Entries.Where(e => !leavingNames.Contains(e.Name) && !arrivingNames.Contains(e.Name)))
            foreach (var g in e.Gpus) Add(g, e.Held);

        var ledger = new HostMemoryLedger(snapshot, e => !leavingNames.Contains(e.Name));
        var sleepers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in leaving.Where(e => e.CanSleep || e.Phase == RoomPhase.Asleep).OrderByDescending(e => e.LastActivity))
        {
            if (e.Gpus.Any(g => load.GetValueOrDefault(g) + e.Residual > Thousandths.Whole)) continue;
            // Weights already in RAM are already out of MemAvailable; new ones must fit in it.
            if (ledger.RoomFor(e, _ => false, inRamAlready: e.InHostMemory) is null) continue;
            ledger.Commit(e, [], inRamAlready: e.InHostMemory);
            foreach (var g in e.Gpus) Add(g, e.Residual);
            sleepers.Add(e.Name);
        }
        return sleepers;
    }
}
