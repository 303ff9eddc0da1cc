using GpuRouter.Configuration;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;

namespace Router.Tests.Lifecycle;

public class GpuPlacementTests
{
    private sealed class Placed(string name, double share, long lastActivity, params int[] gpus) : IPlacedInstance
    {
        private int _attempts;

        public string Name => name;
        public IReadOnlyList<int> Gpus => gpus;
        public double Share => share;
        public long LastActivity => lastActivity;
        public int Busy { get; set; }
        public int Stops { get; private set; }

        public int Attempts => Volatile.Read(ref _attempts);

        public Task<bool> TryStopIdleAsync(string reason, CancellationToken ct)
        {
            Interlocked.Increment(ref _attempts);
            if (Busy > 0) return Task.FromResult(false);
            Stops++;
            return Task.FromResult(true);
        }
    }

    private static GpuPlacement Placement() => new(TimeProvider.System, NullLogger<GpuPlacement>.Instance);

    [Fact]
    public async Task Reserve_RoomLeft_EvictsNobody()
    {
        var placement = Placement();
        var a = new Placed("a", 0.4, 1, 0);
        var b = new Placed("b", 0.6, 2, 0);
        Assert.Null(await placement.ReserveAsync(a, TimeSpan.FromSeconds(1), default));
        Assert.Null(await placement.ReserveAsync(b, TimeSpan.FromSeconds(1), default));
        Assert.Equal(0, a.Stops);
        Assert.Equal(1.0, LocalShare(placement, 0), 6);
    }

    [Fact]
    public async Task Reserve_GpuFull_StopsTheLeastRecentlyUsedIdleInstanceOnly()
    {
        var placement = Placement();
        var older = new Placed("older", 0.45, lastActivity: 10, 0);
        var newer = new Placed("newer", 0.45, lastActivity: 20, 0);
        var elsewhere = new Placed("elsewhere", 0.9, lastActivity: 1, 1);
        foreach (var p in new[] { older, newer, elsewhere }) await placement.ReserveAsync(p, TimeSpan.FromSeconds(1), default);
        var evicted = new List<string>();
        placement.Evicted += (name, _) => evicted.Add(name);

        Assert.Null(await placement.ReserveAsync(new Placed("new", 0.5, 30, 0), TimeSpan.FromSeconds(1), default));
        Assert.Equal(["older"], evicted);
        Assert.Equal(0, newer.Stops);
        Assert.Equal(0, elsewhere.Stops);
    }

    [Fact]
    public async Task Reserve_LruInstanceBusy_SkipsItForAnIdleOne()
    {
        var placement = Placement();
        var busy = new Placed("busy", 0.5, lastActivity: 1, 0) { Busy = 2 };
        var idle = new Placed("idle", 0.5, lastActivity: 5, 0);
        await placement.ReserveAsync(busy, TimeSpan.FromSeconds(1), default);
        await placement.ReserveAsync(idle, TimeSpan.FromSeconds(1), default);
        Assert.Null(await placement.ReserveAsync(new Placed("new", 0.5, 9, 0), TimeSpan.FromSeconds(1), default));
        Assert.Equal(0, busy.Stops);
        Assert.Equal(1, idle.Stops);
    }

    [Fact]
    public async Task Reserve_EverythingBusy_WaitsUntilOneGoesIdle()
    {
        var placement = Placement();
        var busy = new Placed("busy", 0.9, 1, 0) { Busy = 1 };
        await placement.ReserveAsync(busy, TimeSpan.FromSeconds(1), default);
        var pending = placement.ReserveAsync(new Placed("new", 0.5, 9, 0), TimeSpan.FromSeconds(30), default);
        // Several polls (100 ms each) go by: the start waits, and the busy instance is never even asked.
        await Task.Delay(TimeSpan.FromMilliseconds(350));
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, busy.Attempts);
        busy.Busy = 0;
        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, busy.Stops);
    }

    [Fact]
    public async Task Reserve_NeverRoom_FailsNamingWhatHoldsTheGpu()
    {
        var placement = Placement();
        await placement.ReserveAsync(new Placed("llama_0", 0.9, 1, 0) { Busy = 3 }, TimeSpan.FromSeconds(1), default);
        var error = await placement.ReserveAsync(new Placed("qwen", 0.5, 9, 0), TimeSpan.FromMilliseconds(300), default);
        Assert.NotNull(error);
        Assert.Equal(503, GpuRouter.Http.RouterError.From(error).Status);
        Assert.Contains("llama_0 (0.9, 3 busy)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reserve_DualGpuInstance_EvictsOnBothGpus()
    {
        var placement = Placement();
        var gpu0 = new Placed("llama_0", 0.9, 1, 0);
        var gpu1 = new Placed("llama_1", 0.6, 2, 1);
        await placement.ReserveAsync(gpu0, TimeSpan.FromSeconds(1), default);
        await placement.ReserveAsync(gpu1, TimeSpan.FromSeconds(1), default);
        Assert.Null(await placement.ReserveAsync(new Placed("qwen_72b_dual", 0.95, 9, 0, 1), TimeSpan.FromSeconds(1), default));
        Assert.Equal(1, gpu0.Stops);
        Assert.Equal(1, gpu1.Stops);
        Assert.Equal(0.95, LocalShare(placement, 1), 6);
    }

    [Fact]
    public async Task Reserve_TwoStartsRacingForOneGpu_OnlyOneFitsWithoutEviction()
    {
        var placement = Placement();
        var a = new Placed("a", 0.6, 1, 0) { Busy = 1 };
        var b = new Placed("b", 0.6, 2, 0) { Busy = 1 };
        var results = await Task.WhenAll(
            placement.ReserveAsync(a, TimeSpan.FromMilliseconds(300), default),
            placement.ReserveAsync(b, TimeSpan.FromMilliseconds(300), default));
        Assert.Single(results, r => r is null);
    }

    // What the views read (GpuPlacement.Holdings), summed over the instances on one local GPU.
    private static double LocalShare(GpuPlacement placement, int gpu) =>
        placement.Holdings().TryGetValue(new GpuKey(HostMemoryOptions.Local, gpu), out var held) ? held.Values.Sum() : 0;
}
