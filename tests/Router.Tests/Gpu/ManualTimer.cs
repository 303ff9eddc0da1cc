namespace Router.Tests.Gpu;

/// <summary>A timer of <see cref="ManualTimeProvider"/>: due times are on the manual clock.</summary>
internal sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
{
    private readonly Lock gate = new();
    private DateTimeOffset? due;
    private TimeSpan period;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (gate)
        {
            this.period = period;
            due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
            return true;
        }
    }

    /// <summary>Fires once however many periods passed, as a coalescing PeriodicTimer would see it.</summary>
    public void FireIfDue(DateTimeOffset now)
    {
        lock (gate)
        {
            if (due is null || due > now)
            {
                return;
            }

            var positive = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan;
            while (positive && due <= now)
            {
                due += period;
            }

            if (!positive)
            {
                due = null;
            }
        }

        callback(state);
    }

    public void Dispose() => clock.Remove(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
