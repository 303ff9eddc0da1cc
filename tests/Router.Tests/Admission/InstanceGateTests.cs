using GpuRouter.Admission;
using AdmissionResult = GpuRouter.Admission.Admission;

namespace Router.Tests.Admission;

public sealed class InstanceGateTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Acquire_FreeSlot_GrantsSynchronouslyWithZeroWait()
    {
        var gate = NewGate(limit: 2);

        var pending = gate.AcquireAsync(RequestPriority.Interactive, Minute, CancellationToken.None);

        Assert.True(pending.IsCompletedSuccessfully);
        var admission = await pending;
        Assert.True(admission.IsGranted);
        Assert.Null(admission.Refusal);
        Assert.Equal(TimeSpan.Zero, admission.Lease.QueueWait);
        Assert.Equal(1, gate.InFlight);
        admission.Lease.Dispose();
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task Acquire_AtLimit_QueuesUntilReleaseHandsTheSlotOver()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);

        var waiting = Acquire(gate);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, gate.Queued);

        _clock.Advance(TimeSpan.FromSeconds(3));
        holder.Lease.Dispose();

        Assert.True(waiting.IsCompletedSuccessfully);
        var admission = await waiting;
        Assert.True(admission.IsGranted);
        Assert.Equal(TimeSpan.FromSeconds(3), admission.Lease.QueueWait);
        Assert.Equal(1, gate.InFlight);
        Assert.Equal(0, gate.Queued);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task Acquire_QueueFull_RefusesWithRetryAfter()
    {
        var gate = NewGate(limit: 1, maxQueue: 2);
        await Grant(gate);
        _ = Acquire(gate);
        _ = Acquire(gate);

        var refused = await gate.AcquireAsync(RequestPriority.Interactive, Minute, CancellationToken.None);

        Assert.False(refused.IsGranted);
        Assert.Equal(AdmissionRefusal.QueueFull, refused.Refusal);
        Assert.True(refused.RetryAfterSeconds >= 1);
        Assert.Equal(2, gate.Queued);
    }

    [Fact]
    public async Task Acquire_NoQueueAllowed_RefusesAtTheLimit()
    {
        var gate = NewGate(limit: 1, maxQueue: 0);
        await Grant(gate);

        var refused = await gate.AcquireAsync(RequestPriority.Interactive, Minute, CancellationToken.None);

        Assert.Equal(AdmissionRefusal.QueueFull, refused.Refusal);
    }

    [Fact]
    public async Task Acquire_WaitsPastQueueTimeout_RefusedWithQueueTimeout()
    {
        var gate = NewGate(limit: 1);
        await Grant(gate);
        var waiting = Acquire(gate, timeout: TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(waiting.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var refused = await waiting;
        Assert.Equal(AdmissionRefusal.QueueTimeout, refused.Refusal);
        Assert.InRange(refused.RetryAfterSeconds, 1, 30);
        Assert.Equal(0, gate.Queued);
        Assert.Equal(1, gate.InFlight);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task Acquire_ZeroTimeoutWhenFull_RefusesWithoutWaiting()
    {
        var gate = NewGate(limit: 1);
        await Grant(gate);

        var refused = await gate.AcquireAsync(RequestPriority.Batch, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(AdmissionRefusal.QueueTimeout, refused.Refusal);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task Acquire_InfiniteTimeout_WaitsWithoutATimer()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);
        var waiting = Acquire(gate, timeout: Timeout.InfiniteTimeSpan);

        _clock.Advance(TimeSpan.FromDays(100));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, _clock.ActiveTimers);
        holder.Lease.Dispose();

        Assert.True((await waiting).IsGranted);
    }

    [Fact]
    public async Task Release_ManyWaiters_ServesPriorityThenArrivalOrder()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);
        var background = Acquire(gate, RequestPriority.Background);
        var batch1 = Acquire(gate, RequestPriority.Batch);
        var interactive1 = Acquire(gate, RequestPriority.Interactive);
        var batch2 = Acquire(gate, RequestPriority.Batch);
        var interactive2 = Acquire(gate, RequestPriority.Interactive);
        var expected = new[] { interactive1, interactive2, batch1, batch2, background };

        var current = holder;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.All(expected[i..], t => Assert.False(t.IsCompleted));
            current.Lease.Dispose();
            Assert.True(expected[i].IsCompletedSuccessfully);
            current = await expected[i];
            Assert.True(current.IsGranted);
        }

        current.Lease.Dispose();
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task Acquire_WhileOthersWait_NewcomerDoesNotBargeIntoReleasedSlot()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);
        var waiter = Acquire(gate, RequestPriority.Background);

        holder.Lease.Dispose();
        var newcomer = Acquire(gate, RequestPriority.Interactive);

        Assert.True((await waiter).IsGranted);
        Assert.False(newcomer.IsCompleted);
        Assert.Equal(1, gate.InFlight);
    }

    [Fact]
    public async Task Lease_DisposedTwice_ReleasesOnlyOnce()
    {
        var gate = NewGate(limit: 2);
        var first = await Grant(gate);
        await Grant(gate);

        first.Lease.Dispose();
        first.Lease.Dispose();

        Assert.Equal(1, gate.InFlight);
        Assert.False(first.Lease.IsHeld);
    }

    [Fact]
    public async Task Lease_StaleCopyDisposedAfterTokenReuse_LeavesNewHolderAlone()
    {
        var gate = NewGate(limit: 1);
        var old = await Grant(gate);
        var staleCopy = old.Lease;
        old.Lease.Dispose();
        var current = await Grant(gate);

        staleCopy.Dispose();

        Assert.True(current.Lease.IsHeld);
        Assert.Equal(1, gate.InFlight);
    }

    [Fact]
    public void Refusal_Lease_DisposesHarmlessly()
    {
        var refused = AdmissionResult.Refused(AdmissionRefusal.Closed, 0);

        refused.Lease.Dispose();

        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.False(refused.Lease.IsHeld);
    }

    [Fact]
    public async Task Cancel_WhileQueued_LeavesQueueAtOnceAndThrows()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);
        using var cts = new CancellationTokenSource();
        var waiting = Acquire(gate, ct: cts.Token);
        var behind = Acquire(gate);

        await cts.CancelAsync();

        Assert.True(waiting.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, gate.Queued);
        holder.Lease.Dispose();
        var next = await behind;
        Assert.True(next.IsGranted);
        next.Lease.Dispose();
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(0, gate.Queued);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task Acquire_TokenAlreadyCancelled_ThrowsWithoutQueueing()
    {
        var gate = NewGate(limit: 1);
        await Grant(gate);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => gate.AcquireAsync(RequestPriority.Interactive, Minute, new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task Cancel_AfterGrant_KeepsTheLease()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);
        using var cts = new CancellationTokenSource();
        var waiting = Acquire(gate, ct: cts.Token);
        holder.Lease.Dispose();

        await cts.CancelAsync();

        var admission = await waiting;
        Assert.True(admission.IsGranted);
        admission.Lease.Dispose();
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task LastActivity_MovesOnAcquireAndRelease_IsIdleFollowsCounts()
    {
        var gate = NewGate(limit: 1);
        var created = gate.LastActivity;
        Assert.True(gate.IsIdle);

        _clock.Advance(TimeSpan.FromSeconds(5));
        var lease = await Grant(gate);
        Assert.Equal(TimeSpan.FromSeconds(5), _clock.GetElapsedTime(created, gate.LastActivity));
        Assert.False(gate.IsIdle);

        _clock.Advance(TimeSpan.FromSeconds(7));
        lease.Lease.Dispose();
        Assert.Equal(TimeSpan.FromSeconds(12), _clock.GetElapsedTime(created, gate.LastActivity));
        Assert.True(gate.IsIdle);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceGate("x", 0, 1, _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceGate("x", 1, -1, _clock));
        Assert.Throws<ArgumentException>(() => new InstanceGate("", 1, 1, _clock));
    }

    [Fact]
    public void Acquire_InvalidArguments_Throw()
    {
        var gate = NewGate(limit: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => gate.AcquireAsync((RequestPriority)7, Minute, CancellationToken.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => gate.AcquireAsync(RequestPriority.Batch, TimeSpan.FromSeconds(-2), CancellationToken.None));
    }

    private InstanceGate NewGate(int limit, int maxQueue = 16) => new("llama_0", limit, maxQueue, _clock);

    private static Task<AdmissionResult> Acquire(
        InstanceGate gate,
        RequestPriority priority = RequestPriority.Interactive,
        TimeSpan? timeout = null,
        CancellationToken ct = default) =>
        gate.AcquireAsync(priority, timeout ?? Minute, ct).AsTask();

    private static async Task<AdmissionResult> Grant(InstanceGate gate)
    {
        var admission = await gate.AcquireAsync(RequestPriority.Interactive, Minute, CancellationToken.None);
        Assert.True(admission.IsGranted);
        return admission;
    }
}
