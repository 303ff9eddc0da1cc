namespace GpuRouter.Admission;

/// <summary>How a queued waiter leaves other than by a grant: its timeout or its client's cancellation.</summary>
internal sealed partial class InstanceGate
{
    private void Arm(Waiter waiter, CancellationToken ct)
    {
        // Armed outside the lock: an already-cancelled token runs its callback synchronously,
        // and that callback takes the lock itself.
        var registration = ct.CanBeCanceled
            ? ct.UnsafeRegister(static (state, token) => ((Waiter)state!).Gate.OnCancelled((Waiter)state!, token), waiter)
            : default;
        var timer = waiter.QueueTimeout == Timeout.InfiniteTimeSpan || waiter.QueueTimeout > MaxTimerDueTime
            ? null
            : _time.CreateTimer(static state => ((Waiter)state!).Gate.OnTimedOut((Waiter)state!), waiter, waiter.QueueTimeout, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            if (waiter.IsQueued)
            {
                waiter.Registration = registration;
                waiter.Timer = timer;
                return;
            }
        }

        // Already granted, refused or cancelled before we got here: its completer did not see
        // these, so they are ours to disarm.
        registration.Unregister();
        timer?.Dispose();
    }

    private void OnCancelled(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (!waiter.IsQueued)
            {
                return;
            }

            _queue.Remove(waiter);
            waiter.CancelledBy = token;
        }

        waiter.Complete();
    }

    private void OnTimedOut(Waiter waiter)
    {
        lock (_lock)
        {
            if (!waiter.IsQueued)
            {
                return;
            }

            _queue.Remove(waiter);
            waiter.Outcome = RefuseLocked(AdmissionRefusal.QueueTimeout, waiter.QueueTimeout);
        }

        waiter.Complete();
    }
}
