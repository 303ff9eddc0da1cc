using GpuRouter.Admission;
using static Router.Tests.Admission.GateTestHelpers;

namespace Router.Tests.Admission;

public sealed class InstanceGateControlTests
{
    private readonly CountingTimeProvider _clock = new();

    [Fact]
    public async Task SetLimit_Raised_AdmitsWaitersAtOnceInOrder()
    {
        var gate = NewGate(limit: 1);
        await Grant(gate);
        var batch = Acquire(gate, RequestPriority.Batch);
        var interactive = Acquire(gate, RequestPriority.Interactive);
        var background = Acquire(gate, RequestPriority.Background);

        gate.SetLimit(3);

        Assert.True((await interactive).IsGranted);
        Assert.True((await batch).IsGranted);
        Assert.False(background.IsCompleted);
        Assert.Equal(3, gate.InFlight);
        Assert.Equal(3, gate.Limit);
    }

    [Fact]
    public async Task SetLimit_Lowered_NeverPreemptsAndAdmitsOnlyBelowTheNewLimit()
    {
        var gate = NewGate(limit: 3);
        var leases = new[] { await Grant(gate), await Grant(gate), await Grant(gate) };
        var waiting = Acquire(gate);

        gate.SetLimit(1);

        Assert.Equal(3, gate.InFlight);
        Assert.All(leases, l => Assert.True(l.Lease.IsHeld));
        leases[0].Lease.Dispose();
        Assert.False(waiting.IsCompleted);
        leases[1].Lease.Dispose();
        Assert.False(waiting.IsCompleted);
        leases[2].Lease.Dispose();
        Assert.True((await waiting).IsGranted);
        Assert.Equal(1, gate.InFlight);
    }

    [Fact]
    public void SetLimit_BelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewGate(limit: 2).SetLimit(0));
    }

    [Fact]
    public async Task Close_FailsQueuedWaitersAndRefusesNewcomers()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);
        var waiting = Acquire(gate);

        gate.Close(AdmissionRefusal.Closed);

        Assert.Equal(AdmissionRefusal.Closed, (await waiting).Refusal);
        Assert.Equal(AdmissionRefusal.Closed, (await Acquire(gate)).Refusal);
        Assert.True(gate.IsClosed);
        Assert.Equal(0, gate.Queued);
        Assert.Equal(0, _clock.ActiveTimers);
        holder.Lease.Dispose();
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task Reopen_AfterClose_AdmitsAgain()
    {
        var gate = NewGate(limit: 1);
        gate.Close(AdmissionRefusal.Closed);

        gate.Reopen();

        Assert.False(gate.IsClosed);
        Assert.True((await Acquire(gate)).IsGranted);
    }

    [Fact]
    public async Task WhenIdleAsync_CompletesWhenTheLastLeaseIsReleased()
    {
        var gate = NewGate(limit: 2);
        Assert.True(gate.WhenIdleAsync(CancellationToken.None).IsCompletedSuccessfully);
        var first = await Grant(gate);
        var second = await Grant(gate);

        var idle = gate.WhenIdleAsync(CancellationToken.None);
        first.Lease.Dispose();
        Assert.False(idle.IsCompleted);
        second.Lease.Dispose();

        await idle.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);
        Assert.True(idle.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WhenIdleAsync_Cancelled_ThrowsWithoutAffectingTheGate()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);
        using var cts = new CancellationTokenSource();

        var idle = gate.WhenIdleAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => idle);
        holder.Lease.Dispose();
        Assert.True(gate.WhenIdleAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RetryAfter_FollowsRecentHoldTimesAndQueueLength()
    {
        var gate = NewGate(limit: 2, maxQueue: 3);
        for (var i = 0; i < 3; i++)
        {
            var lease = await Grant(gate);
            _clock.Advance(TimeSpan.FromSeconds(10));
            lease.Lease.Dispose();
        }

        await Grant(gate);
        await Grant(gate);
        for (var i = 0; i < 3; i++)
        {
            _ = Acquire(gate, timeout: TimeSpan.FromMinutes(5));
        }

        var refused = await Acquire(gate, timeout: TimeSpan.FromMinutes(5));

        // Four requests ahead of a retry (three queued plus itself), two slots, ten seconds each.
        Assert.Equal(AdmissionRefusal.QueueFull, refused.Refusal);
        Assert.Equal(20, refused.RetryAfterSeconds);
    }

    private InstanceGate NewGate(int limit, int maxQueue = 16) => new("llama_0", limit, maxQueue, _clock);
}
