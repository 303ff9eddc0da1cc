using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Admission;

/// <summary>
/// Microsoft's <see cref="FakeTimeProvider"/> that also counts the timers still armed (created or
/// changed with a due time, not yet fired if one-shot, not disposed), so a test can show that the
/// gate leaves nothing scheduled behind it. The package keeps that set to itself.
/// </summary>
internal sealed class CountingTimeProvider : FakeTimeProvider
{
    private int _armed;

    public int ActiveTimers => Volatile.Read(ref _armed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new CountedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private ITimer CreateInnerTimer(TimerCallback callback, object? state) =>
        base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private sealed class CountedTimer : ITimer
    {
        private readonly CountingTimeProvider _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _inner;
        private readonly Lock _lock = new();
        private bool _armed;
        private bool _oneShot;
        private bool _disposed;

        public CountedTimer(CountingTimeProvider clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _inner = clock.CreateInnerTimer(_ => Fire(), null);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed) return false;
                _oneShot = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero;
                SetArmed(dueTime != Timeout.InfiniteTimeSpan);
            }
            // Outside the lock: a due time of zero fires at once, on this thread.
            return _inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                SetArmed(false);
            }
            _inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Fire()
        {
            lock (_lock)
            {
                if (_oneShot) SetArmed(false);
            }
            _callback(_state);
        }

        private void SetArmed(bool armed)
        {
            if (armed == _armed) return;
            _armed = armed;
            Interlocked.Add(ref _clock._armed, armed ? 1 : -1);
        }
    }
}
