using GpuRouter.Instances;

namespace GpuRouter.Admission;

/// <summary>The operations the lifecycle uses: limit changes, closing, draining and the idle hold.</summary>
internal sealed partial class InstanceGate
{
    /// <summary>
    /// Changes the limit at run time. Lowering never preempts running requests: it only admits
    /// fewer until in-flight falls below the new limit. Raising admits waiters at once.
    /// </summary>
    public void SetLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Waiter? granted;
        lock (_lock)
        {
            _limit = limit;
            granted = GrantWaitersLocked();
        }

        Waiter.CompleteAll(granted);
    }

    /// <summary>Refuses every queued waiter and every newcomer with <paramref name="reason"/> until <see cref="Reopen"/>.</summary>
    public void Close(AdmissionRefusal reason)
    {
        Waiter? chain = null;
        Waiter? last = null;
        lock (_lock)
        {
            _closedWith = reason;
            while (_queue.Dequeue() is { } waiter)
            {
                waiter.Outcome = RefuseLocked(reason, waiter.QueueTimeout);
                Append(ref chain, ref last, waiter);
            }
        }

        Waiter.CompleteAll(chain);
    }

    public void Reopen()
    {
        lock (_lock)
        {
            _closedWith = null;
        }
    }

    /// <summary>Completes when nothing is in flight; queued waiters do not count (close first to drain them).</summary>
    public Task WhenIdleAsync(CancellationToken ct)
    {
        Task idle;
        lock (_lock)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        return idle.WaitAsync(ct);
    }

    /// <summary>
    /// Succeeds only when nothing is in flight or queued and no other reservation is held.
    /// Until the reservation is disposed, new requests queue (within MaxQueue and their own
    /// timeouts) instead of entering, so stopping the idle instance cannot race them.
    /// </summary>
    public bool TryReserveIdle(out IdleReservation reservation)
    {
        lock (_lock)
        {
            if (_reserved || _inFlight != 0 || _queue.Count != 0)
            {
                reservation = default;
                return false;
            }

            _reserved = true;
            reservation = new IdleReservation(this, ++_reservationId);
            return true;
        }
    }

    public void EndIdleReservation(long id)
    {
        Waiter? granted;
        lock (_lock)
        {
            if (!_reserved || id != _reservationId)
            {
                return;
            }

            _reserved = false;
            granted = GrantWaitersLocked();
        }

        Waiter.CompleteAll(granted);
    }
}
