using GpuRouter.Admission;
using static Router.Tests.Admission.GateTestHelpers;

namespace Router.Tests.Admission;

public sealed class InstanceGateTests
{
    private readonly CountingTimeProvider _clock = new();

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
}
