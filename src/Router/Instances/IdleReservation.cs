namespace GpuRouter.Instances;

/// <summary>
/// Proof that an idle instance is being stopped. While it is held, requests queue instead of
/// entering, so the TTL sweeper can stop the container without a request slipping in between
/// its idle check and the stop. Disposing admits the waiters (the lifecycle has by then started
/// the instance again or will on their behalf). A struct with the reservation's id so that
/// disposing twice, or disposing a stale copy after a newer reservation, does nothing.
/// </summary>
internal readonly struct IdleReservation : IDisposable
{
    private readonly IInstanceLoad? _load;
    private readonly long _id;

    public IdleReservation(IInstanceLoad load, long id)
    {
        _load = load;
        _id = id;
    }

    public void Dispose() => _load?.EndIdleReservation(_id);
}
