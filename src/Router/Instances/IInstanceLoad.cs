namespace GpuRouter.Instances;

/// <summary>
/// What an instance carries now (in flight, queued, its limit) and the few things the lifecycle and
/// the schedule may do to it: change the limit, wait until it is idle, hold it idle while it stops.
/// Implemented by the admission gate, so Lifecycle, Routing and Schedule read the load without
/// depending on Admission.
/// </summary>
internal interface IInstanceLoad
{
    string Instance { get; }

    int MaxQueue { get; }

    int Limit { get; }

    int InFlight { get; }

    int Queued { get; }

    /// <summary>Nothing in flight or queued.</summary>
    bool IsIdle { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last arrival, grant or release.</summary>
    long LastActivity { get; }

    /// <summary><see cref="LastActivity"/> once a request has arrived; null before (what "last used" shows).</summary>
    long? LastUse { get; }

    /// <summary>Changes the limit at run time; lowering never preempts running requests.</summary>
    void SetLimit(int limit);

    /// <summary>Completes when nothing is in flight; queued waiters do not count.</summary>
    Task WhenIdleAsync(CancellationToken ct);

    /// <summary>
    /// Succeeds only when nothing is in flight or queued and no other reservation is held; until
    /// the reservation is disposed, new requests queue instead of entering.
    /// </summary>
    bool TryReserveIdle(out IdleReservation reservation);

    /// <summary>Ends the reservation with this id (what <see cref="IdleReservation.Dispose"/> calls).</summary>
    void EndIdleReservation(long id);
}
