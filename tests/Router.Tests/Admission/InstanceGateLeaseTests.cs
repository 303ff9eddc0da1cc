using GpuRouter.Admission;
using AdmissionResult = GpuRouter.Admission.Admission;
using static Router.Tests.Admission.GateTestHelpers;

namespace Router.Tests.Admission;

public sealed class InstanceGateLeaseTests
{
    private readonly CountingTimeProvider _clock = new();

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

    private InstanceGate NewGate(int limit, int maxQueue = 16) => new("llama_0", limit, maxQueue, _clock);
}
