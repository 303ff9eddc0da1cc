using GpuRouter.Admission;
using AdmissionResult = GpuRouter.Admission.Admission;

namespace Router.Tests.Admission;

public sealed class InstanceGateControlTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _clock = new();

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
    public async Task TryReserveIdle_Busy_Fails()
    {
        var gate = NewGate(limit: 1);
        var holder = await Grant(gate);

        Assert.False(gate.TryReserveIdle(out _));
        _ = Acquire(gate);
        holder.Lease.Dispose();
        Assert.False(gate.TryReserveIdle(out _));
    }

    [Fact]
    public void TryReserveIdle_AlreadyReserved_Fails()
    {
        var gate = NewGate(limit: 1);

        Assert.True(gate.TryReserveIdle(out var reservation));
        Assert.False(gate.TryReserveIdle(out _));
        reservation.Dispose();
        Assert.True(gate.TryReserveIdle(out var again));
        again.Dispose();
    }

    [Fact]
    public async Task TryReserveIdle_Held_NewRequestsQueueUntilDisposed()
    {
        var gate = NewGate(limit: 2);
        Assert.True(gate.TryReserveIdle(out var reservation));

        var first = Acquire(gate, RequestPriority.Batch);
        var second = Acquire(gate, RequestPriority.Interactive);
        Assert.False(first.IsCompleted);
        Assert.Equal(2, gate.Queued);
        Assert.Equal(0, gate.InFlight);

        reservation.Dispose();

        Assert.True((await second).IsGranted);
        Assert.True((await first).IsGranted);
        Assert.Equal(2, gate.InFlight);
    }

    [Fact]
    public async Task TryReserveIdle_Held_WaitersStillTimeOut()
    {
        var gate = NewGate(limit: 1);
        Assert.True(gate.TryReserveIdle(out var reservation));
        var waiting = Acquire(gate, timeout: TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(AdmissionRefusal.QueueTimeout, (await waiting).Refusal);
        reservation.Dispose();
        Assert.True(gate.IsIdle);
    }

    [Fact]
    public async Task IdleReservation_StaleDispose_DoesNotEndANewerReservation()
    {
        var gate = NewGate(limit: 1);
        Assert.True(gate.TryReserveIdle(out var old));
        old.Dispose();
        Assert.True(gate.TryReserveIdle(out var current));

        old.Dispose();
        var waiting = Acquire(gate);

        Assert.False(waiting.IsCompleted);
        current.Dispose();
        current.Dispose();
        Assert.True((await waiting).IsGranted);
    }

    [Fact]
    public async Task TryReserveIdle_RacingAcquisitions_NeverHoldsWhileSomethingRuns()
    {
        var gate = new InstanceGate("llama_0", 2, 64, TimeProvider.System);
        var reservedWhileBusy = 0;
        var reservations = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var sweeper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!gate.TryReserveIdle(out var reservation))
                {
                    continue;
                }

                reservations++;
                for (var i = 0; i < 50; i++)
                {
                    if (gate.InFlight != 0)
                    {
                        Interlocked.Increment(ref reservedWhileBusy);
                    }
                }

                reservation.Dispose();
            }
        });
        var clients = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var admission = await gate.AcquireAsync(RequestPriority.Batch, Timeout.InfiniteTimeSpan, CancellationToken.None);
                Assert.True(admission.IsGranted);
                admission.Lease.Dispose();
            }
        })).ToArray();

        await Task.WhenAll([sweeper, .. clients]);

        Assert.Equal(0, reservedWhileBusy);
        Assert.True(reservations > 0);
        Assert.True(gate.IsIdle);
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

    private static Task<AdmissionResult> Acquire(
        InstanceGate gate,
        RequestPriority priority = RequestPriority.Interactive,
        TimeSpan? timeout = null) =>
        gate.AcquireAsync(priority, timeout ?? Minute, CancellationToken.None).AsTask();

    private static async Task<AdmissionResult> Grant(InstanceGate gate)
    {
        var admission = await gate.AcquireAsync(RequestPriority.Interactive, Minute, CancellationToken.None);
        Assert.True(admission.IsGranted);
        return admission;
    }
}
