using GpuRouter.Admission;

namespace Router.Tests.Admission;

/// <summary>
/// Real threads and the real clock: many clients with mixed priorities, short timeouts and
/// cancellations hammer one gate while another thread moves the limit. The observed concurrency
/// (counted by the clients themselves) must never pass the highest limit in force, and every
/// count must return to zero. Bounded by iteration count, not time, so it ends on a slow box.
/// </summary>
public sealed class InstanceGateStressTests
{
    private const int Clients = 16;
    private const int IterationsPerClient = 1500;

    [Fact]
    public async Task ManyThreads_NeverExceedTheLimitAndSettleToZero()
    {
        var gate = new InstanceGate("stress", 3, 8, TimeProvider.System);
        var current = 0;
        var maxObserved = 0;
        var granted = 0;
        var refused = 0;
        var cancelled = 0;

        async Task Client(int id)
        {
            var random = new Random(id);
            for (var i = 0; i < IterationsPerClient; i++)
            {
                using var cts = new CancellationTokenSource();
                if (random.Next(10) == 0)
                {
                    cts.CancelAfter(random.Next(0, 2));
                }

                var timeout = TimeSpan.FromMilliseconds(random.Next(0, 20));
                try
                {
                    var admission = await gate.AcquireAsync((RequestPriority)random.Next(3), timeout, cts.Token);
                    if (!admission.IsGranted)
                    {
                        Interlocked.Increment(ref refused);
                        continue;
                    }

                    var now = Interlocked.Increment(ref current);
                    InterlockedMax(ref maxObserved, now);
                    Interlocked.Increment(ref granted);
                    if (random.Next(4) == 0)
                    {
                        await Task.Yield();
                    }

                    Interlocked.Decrement(ref current);
                    admission.Lease.Dispose();
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(id => Task.Run(() => Client(id))));

        Assert.InRange(maxObserved, 1, 3);
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(0, gate.Queued);
        Assert.Equal(Clients * IterationsPerClient, granted + refused + cancelled);
        Assert.True(granted > Clients * IterationsPerClient / 10, $"only {granted} granted");
    }

    [Fact]
    public async Task ManyThreads_WithLimitChanges_StayWithinTheHighestLimit()
    {
        var gate = new InstanceGate("stress", 2, 32, TimeProvider.System);
        var current = 0;
        var maxObserved = 0;
        using var done = new CancellationTokenSource();

        var tuner = Task.Run(async () =>
        {
            var random = new Random(7);
            while (!done.IsCancellationRequested)
            {
                gate.SetLimit(random.Next(1, 5));
                await Task.Yield();
            }
        });
        var clients = Enumerable.Range(0, Clients).Select(id => Task.Run(async () =>
        {
            for (var i = 0; i < IterationsPerClient / 2; i++)
            {
                var admission = await gate.AcquireAsync(RequestPriority.Batch, Timeout.InfiniteTimeSpan, CancellationToken.None);
                InterlockedMax(ref maxObserved, Interlocked.Increment(ref current));
                Interlocked.Decrement(ref current);
                admission.Lease.Dispose();
            }
        })).ToArray();

        await Task.WhenAll(clients);
        await done.CancelAsync();
        await tuner;

        Assert.InRange(maxObserved, 1, 4);
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(0, gate.Queued);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
