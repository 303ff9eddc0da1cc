using GpuRouter.Instances;

namespace GpuRouter.Admission;

/// <summary>
/// Holds one model instance to its concurrency limit. Requests beyond the limit wait in a
/// bounded queue ordered by priority, then arrival; a released slot is handed straight to the
/// head waiter under the same lock that newcomers check, so nobody barges past the queue.
/// Every state change happens under one small lock; waiters are completed after it is released
/// (their continuations run asynchronously as well), so no client code ever runs under it.
/// </summary>
/// <remarks>
/// A client whose token is cancelled while queued leaves the queue at once and its task ends
/// in <see cref="OperationCanceledException"/>: that is what ASP.NET Core's RequestAborted
/// callers already expect, and it keeps <see cref="AdmissionRefusal"/> for outcomes that become
/// an HTTP answer. A cancellation that arrives after the slot was handed over does not undo the
/// grant; the caller disposes the lease as usual.
/// </remarks>
internal sealed partial class InstanceGate : IInstanceLoad
{
    // TimeProvider.CreateTimer refuses due times beyond about 49.7 days; longer waits are
    // treated as "no timeout".
    private static readonly TimeSpan MaxTimerDueTime = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly WaiterQueue _queue = new();
    private readonly Stack<LeaseToken> _tokens = new();
    private readonly RetryAfterEstimator _retryAfter = new();
    private int _inFlight;
    private int _limit;
    private long _lastActivity;
    private bool _used;
    private AdmissionRefusal? _closedWith;
    private long _reservationId;
    private bool _reserved;
    private TaskCompletionSource? _idle;

    public InstanceGate(string instance, int maxConcurrent, int maxQueue, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueue);
        Instance = instance;
        MaxQueue = maxQueue;
        _limit = maxConcurrent;
        _time = time;
        _lastActivity = time.GetTimestamp();
    }

    public string Instance { get; }

    public int MaxQueue { get; }

    public int Limit { get { lock (_lock) { return _limit; } } }

    public int InFlight { get { lock (_lock) { return _inFlight; } } }

    public int Queued { get { lock (_lock) { return _queue.Count; } } }

    public bool IsIdle { get { lock (_lock) { return _inFlight == 0 && _queue.Count == 0; } } }

    public bool IsClosed { get { lock (_lock) { return _closedWith is not null; } } }

    /// <summary>
    /// <see cref="TimeProvider.GetTimestamp"/> of the last arrival, grant or release; with
    /// <see cref="IsIdle"/> it tells the TTL sweeper how long the instance has been unused.
    /// </summary>
    public long LastActivity { get { lock (_lock) { return _lastActivity; } } }

    /// <summary>
    /// <see cref="LastActivity"/> once a request has arrived; null before. The idle clock starts at
    /// creation (an adopted container's TTL runs from the router's start), but that is not a use.
    /// </summary>
    public long? LastUse { get { lock (_lock) { return _used ? _lastActivity : null; } } }

    /// <summary>
    /// Grants a slot now, queues until one frees up, or refuses. A zero timeout never waits;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits without a timer.
    /// </summary>
    /// <exception cref="OperationCanceledException">Through the task, when <paramref name="ct"/> fires first.</exception>
    public ValueTask<Admission> AcquireAsync(RequestPriority priority, TimeSpan queueTimeout, CancellationToken ct)
    {
        if (!WaiterQueue.IsValid(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Unknown priority.");
        }

        if (queueTimeout < TimeSpan.Zero && queueTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(queueTimeout), queueTimeout, "Use zero or a positive timeout, or Timeout.InfiniteTimeSpan.");
        }

        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Admission>(ct);
        }

        Waiter waiter;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _lastActivity = now;
            _used = true;
            if (_closedWith is { } closed)
            {
                return new(RefuseLocked(closed, queueTimeout));
            }

            if (_queue.Count == 0 && !_reserved && _inFlight < _limit)
            {
                return new(Admission.Granted(GrantLocked(TimeSpan.Zero, now)));
            }

            if (_queue.Count >= MaxQueue)
            {
                return new(RefuseLocked(AdmissionRefusal.QueueFull, queueTimeout));
            }

            if (queueTimeout == TimeSpan.Zero)
            {
                return new(RefuseLocked(AdmissionRefusal.QueueTimeout, queueTimeout));
            }

            waiter = new Waiter(this, priority, queueTimeout, now);
            _queue.Enqueue(waiter);
        }

        Arm(waiter, ct);
        return new(waiter.Task);
    }

    internal void Release(LeaseToken token)
    {
        Waiter? granted;
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _retryAfter.RecordHold(_time.GetElapsedTime(token.GrantedAt, now));
            _tokens.Push(token);
            _inFlight--;
            _lastActivity = now;
            granted = GrantWaitersLocked();
            if (_inFlight == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        Waiter.CompleteAll(granted);
        idle?.TrySetResult();
    }

    private Waiter? GrantWaitersLocked()
    {
        Waiter? chain = null;
        Waiter? last = null;
        if (_closedWith is not null || _reserved)
        {
            return null;
        }

        while (_inFlight < _limit && _queue.Dequeue() is { } waiter)
        {
            var now = _time.GetTimestamp();
            waiter.Outcome = Admission.Granted(GrantLocked(_time.GetElapsedTime(waiter.EnqueuedAt, now), now));
            Append(ref chain, ref last, waiter);
        }

        return chain;
    }

    private AdmissionLease GrantLocked(TimeSpan queueWait, long now)
    {
        var token = _tokens.Count > 0 ? _tokens.Pop() : new LeaseToken(this);
        token.GrantedAt = now;
        _inFlight++;
        _lastActivity = now;
        return new AdmissionLease(token, token.Version, queueWait);
    }

    private Admission RefuseLocked(AdmissionRefusal reason, TimeSpan queueTimeout) =>
        Admission.Refused(reason, _retryAfter.Suggest(_queue.Count, _limit, queueTimeout));

    private static void Append(ref Waiter? chain, ref Waiter? last, Waiter waiter)
    {
        if (last is null)
        {
            chain = waiter;
        }
        else
        {
            last.NextToComplete = waiter;
        }

        last = waiter;
    }
}
