namespace Router.Tests.Admission;

/// <summary>
/// A clock that moves only when a test says so. <see cref="Advance"/> fires every timer that
/// falls due, in due order, each at its own due time, on the calling thread and outside the
/// clock's lock (a callback may create or dispose timers). Written by hand rather than taken
/// from Microsoft.Extensions.TimeProvider.Testing because adding that package means editing
/// the shared project and central package files.
/// </summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly DateTimeOffset _epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public int ActiveTimers { get { lock (_lock) { return _timers.Count; } } }

    public override DateTimeOffset GetUtcNow() => _epoch.AddTicks(Interlocked.Read(ref _ticks));

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        var target = Interlocked.Read(ref _ticks) + delta.Ticks;
        while (true)
        {
            FakeTimer? due;
            lock (_lock)
            {
                due = _timers.Where(t => t.DueAt <= target).MinBy(t => t.DueAt);
                if (due is null)
                {
                    break;
                }

                Interlocked.Exchange(ref _ticks, Math.Max(_ticks, due.DueAt));
                if (due.Period is { } period)
                {
                    due.DueAt += Math.Max(1, period.Ticks);
                }
                else
                {
                    _timers.Remove(due);
                }
            }

            due.Fire();
        }

        Interlocked.Exchange(ref _ticks, target);
    }

    internal void Schedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _ticks + dueTime.Ticks;
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            _timers.Add(timer);
        }
    }

    internal void Unschedule(FakeTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }
}
