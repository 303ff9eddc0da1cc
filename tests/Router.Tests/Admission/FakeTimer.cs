namespace Router.Tests.Admission;

/// <summary>A timer of <see cref="FakeTimeProvider"/>: it fires only inside Advance.</summary>
internal sealed class FakeTimer(FakeTimeProvider clock, TimerCallback callback, object? state) : ITimer
{
    private bool _disposed;

    public long DueAt { get; set; }

    public TimeSpan? Period { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (Volatile.Read(ref _disposed))
        {
            return false;
        }

        clock.Schedule(this, dueTime, period);
        return true;
    }

    public void Fire()
    {
        if (!Volatile.Read(ref _disposed))
        {
            callback(state);
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        clock.Unschedule(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
