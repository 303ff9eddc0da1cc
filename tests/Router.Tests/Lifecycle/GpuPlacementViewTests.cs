using GpuRouter.Configuration;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Tests.Gpu;

namespace Router.Tests.Lifecycle;

/// <summary>The views' reading of GpuPlacement: per (host, GPU), each holder's share now.</summary>
public sealed class GpuPlacementViewTests
{
    private sealed class Sleeper(string name, double share, string host, params int[] gpus) : IPlacedInstance
    {
        public string Name => name;
        public string Host => host;
        public IReadOnlyList<int> Gpus => gpus;
        public double Share => share;
        public SleepOptions? Sleep { get; } = new(2, 0, 0.1, null);
        public long LastActivity => 0;
        public int Busy => 1;
        public Task<bool> TryStopIdleAsync(string reason, CancellationToken ct) => Task.FromResult(false);
    }

    private static GpuPlacement Placement() => new(TimeProvider.System, NullLogger<GpuPlacement>.Instance);

    [Fact]
    public async Task Holdings_SameIndexOnTwoHosts_KeptApartPerHost()
    {
        var placement = Placement();
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("llama_0", 0.6, 0), TimeSpan.Zero, default));
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("llama405_dgx", 0.9, 0, 1) { Host = "dgx" }, TimeSpan.Zero, default));

        var holdings = placement.Holdings();

        Assert.Equal(3, holdings.Count);
        Assert.Equal(0.6, Assert.Single(holdings[new GpuKey("local", 0)], h => h.Key == "llama_0").Value, 6);
        Assert.Equal(["llama405_dgx"], holdings[new GpuKey("dgx", 0)].Keys);
        Assert.Equal(0.9, holdings[new GpuKey("dgx", 0)]["llama405_dgx"], 6);
        Assert.Equal(0.9, holdings[new GpuKey("dgx", 1)]["llama405_dgx"], 6);
    }

    [Fact]
    public async Task Holdings_AsleepHoldsItsResidualShare_ReleasedHoldsNothing()
    {
        var placement = Placement();
        var sleeper = new Sleeper("qwen_dgx", 0.8, "dgx", 1);
        var other = new FakePlacedInstance("bge_dgx", 0.15, 1) { Host = "dgx" };
        Assert.Null(await placement.ReserveAsync(sleeper, TimeSpan.Zero, default));
        Assert.Null(await placement.ReserveAsync(other, TimeSpan.Zero, default));
        Assert.Equal(0.8, placement.Holdings()[new GpuKey("dgx", 1)]["qwen_dgx"], 6);

        placement.ToResidual(sleeper);
        Assert.Equal(0.1, placement.Holdings()[new GpuKey("dgx", 1)]["qwen_dgx"], 6);

        placement.Release(other);
        var left = placement.Holdings()[new GpuKey("dgx", 1)];
        Assert.Equal(["qwen_dgx"], left.Keys);
        placement.Release(sleeper);
        Assert.Empty(placement.Holdings());
    }
}
