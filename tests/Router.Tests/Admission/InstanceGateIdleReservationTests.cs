using GpuRouter.Admission;
using static Router.Tests.Admission.GateTestHelpers;

namespace Router.Tests.Admission;

public sealed class InstanceGateIdleReservationTests
{
    private readonly CountingTimeProvider _clock = new();

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
        // Runs until the sweeper has held the reservation often enough (or 10 s pass): a fixed one
        // second could end with no reservation at all when the suite's other tests hold the cores.
        // Every loop yields its thread after each attempt, so the race takes no core from the rest
        // of the suite while it waits for its turn.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var sweeper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && reservations < 50)
            {
                if (gate.TryReserveIdle(out var reservation))
                {
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

                await Task.Yield();
            }
            await stop.CancelAsync();
        });
        var clients = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var admission = await gate.AcquireAsync(RequestPriority.Batch, Timeout.InfiniteTimeSpan, CancellationToken.None);
                Assert.True(admission.IsGranted);
                admission.Lease.Dispose();
                await Task.Yield();
            }
        })).ToArray();

        await Task.WhenAll([sweeper, .. clients]);

        Assert.Equal(0, reservedWhileBusy);
        Assert.True(reservations > 0);
        Assert.True(gate.IsIdle);
    }

    private InstanceGate NewGate(int limit, int maxQueue = 16) => new("llama_0", limit, maxQueue, _clock);
}
