using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The idle sweep as a pure function: an idle instance past its model's TTL is stopped, awake or
/// asleep; an awake one past its <c>sleep.after</c> (shorter than the TTL) is put to sleep. Busy or
/// changing instances are left alone.
/// </summary>
internal static class IdleRule
{
    public const string Ttl = "ttl";

    public static IReadOnlyList<RoomStep> Due(IEnumerable<IdleEntry> entries)
    {
        var steps = new List<RoomStep>();
        foreach (var e in entries.Where(e => e.Idle && e.Phase != RoomPhase.Busy))
        {
            if (e.IdleFor >= e.Ttl) steps.Add(new RoomStep(e.Name, RoomAction.Stop, Ttl));
            else if (e.Phase == RoomPhase.Awake && e.SleepAfter is { } after && e.IdleFor >= after)
                steps.Add(new RoomStep(e.Name, RoomAction.Sleep, "after"));
        }
        return steps;
    }

    /// <summary>The reason a step is logged with.</summary>
    public static string Describe(RoomStep step, IdleEntry entry) => step.Action == RoomAction.Stop
        ? $"idle for longer than its ttl ({Duration.Format(entry.Ttl)})"
        : $"idle for longer than its sleep.after ({Duration.Format(entry.SleepAfter ?? TimeSpan.Zero)})";
}
