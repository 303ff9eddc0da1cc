namespace GpuRouter.Timeline;

/// <summary>
/// When each instance entered its current lifecycle state, from the owners' state-change events,
/// so the status page can say "Loading for 40s". The events are raised after the owner's lock is
/// released and may arrive out of order; a time is only given while the recorded state is still
/// the instance's state, never a wrong one.
/// </summary>
internal sealed class StateClock(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string State, DateTimeOffset Since)> _changes = new(StringComparer.Ordinal);

    public void Changed(string instance, string state)
    {
        var now = time.GetUtcNow();
        lock (_lock) _changes[instance] = (state, now);
    }

    /// <summary>When <paramref name="instance"/> entered <paramref name="state"/>; null when no change to it was seen (e.g. adopted as it ran).</summary>
    public DateTimeOffset? Since(string instance, string state)
    {
        lock (_lock)
        {
            return _changes.TryGetValue(instance, out var change) && change.State == state ? change.Since : null;
        }
    }
}
