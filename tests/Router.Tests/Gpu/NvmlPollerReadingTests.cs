using GpuRouter.Gpu;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Gpu;

public sealed class NvmlPollerReadingTests
{
    private const ulong Mib = 1024 * 1024;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RefreshAsync_TwoFakeGpus_ReadsEveryFieldThroughTheBindings()
    {
        using var fake = new FakeNvml(
            "count=2",
            "gpu0.used_mib=1200", "gpu0.util=37", "gpu0.temp=61", "gpu0.power_mw=215500",
            "gpu0.processes=1234:800,5678:400",
            "gpu1.uuid=GPU-11111111-2222-3333-4444-555555555555");
        using var poller = new NvmlPoller(fake.Options, new FakeTimeProvider(Start), new RecordingLogger<NvmlPoller>());

        var snapshot = await poller.RefreshAsync(CancellationToken.None);

        Assert.True(poller.Enabled);
        Assert.Same(snapshot, poller.Current);
        Assert.Equal(Start, snapshot.TakenAt);
        Assert.Equal(2, snapshot.Gpus.Count);
        var gpu0 = snapshot.Gpus[0];
        Assert.Equal(0, gpu0.Index);
        Assert.Equal("NVIDIA GeForce RTX 3090", gpu0.Name);
        Assert.Equal("GPU-fa4e0000-0000-0000-0000-000000000000", gpu0.Uuid);
        Assert.True(gpu0.Available);
        Assert.Null(gpu0.Error);
        Assert.Equal(24576 * Mib, gpu0.MemoryTotalBytes);
        Assert.Equal(1200 * Mib, gpu0.MemoryUsedBytes);
        Assert.Equal((24576 - 1200) * Mib, gpu0.MemoryFreeBytes);
        Assert.Equal(37u, gpu0.UtilizationPercent);
        Assert.Equal(61u, gpu0.TemperatureCelsius);
        Assert.Equal(215.5, gpu0.PowerWatts);
        Assert.Equal([new GpuProcess(1234, 800 * Mib), new GpuProcess(5678, 400 * Mib)], gpu0.Processes);
        var gpu1 = snapshot.Gpus[1];
        Assert.Equal("GPU-11111111-2222-3333-4444-555555555555", gpu1.Uuid);
        Assert.Equal(0ul, gpu1.MemoryUsedBytes);
        Assert.Empty(gpu1.Processes);
    }

    [Fact]
    public async Task RefreshAsync_MoreProcessesThanTheBuffer_GrowsThroughInsufficientSize()
    {
        const int count = NvmlDeviceReader.InitialProcessCapacity * 3 + 5;
        var processes = string.Join(',', Enumerable.Range(1, count).Select(i => $"{1000 + i}:{i}"));
        using var fake = new FakeNvml("count=1", $"gpu0.processes={processes}");
        using var poller = new NvmlPoller(fake.Options, new FakeTimeProvider(Start), new RecordingLogger<NvmlPoller>());

        var gpu = (await poller.RefreshAsync(CancellationToken.None)).Gpus.Single();

        Assert.True(gpu.Available);
        Assert.Equal(count, gpu.Processes.Count);
        Assert.Equal(new GpuProcess(1000 + count, (ulong)count * Mib), gpu.Processes[^1]);
        Assert.Equal((ulong)Enumerable.Range(1, count).Sum() * Mib, gpu.MemoryUsedBytes);
    }

    [Fact]
    public async Task RefreshAsync_PowerNotSupported_KeepsTheGpuAvailableWithZeroWatts()
    {
        using var fake = new FakeNvml("count=1", "gpu0.fail.power=3");
        using var poller = new NvmlPoller(fake.Options, new FakeTimeProvider(Start), new RecordingLogger<NvmlPoller>());

        var gpu = (await poller.RefreshAsync(CancellationToken.None)).Gpus.Single();

        Assert.True(gpu.Available);
        Assert.Equal(0.0, gpu.PowerWatts);
        Assert.Equal(40u, gpu.TemperatureCelsius);
    }

    [Fact]
    public async Task Poll_ScriptChangesBetweenTicks_EachTickPublishesANewSnapshot()
    {
        var clock = new FakeTimeProvider(Start);
        using var fake = new FakeNvml("count=2", "gpu0.used_mib=1000");
        using var poller = new NvmlPoller(fake.Options, clock, new RecordingLogger<NvmlPoller>());
        await poller.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => poller.Current.TakenAt == Start);

        fake.Write("count=2", "gpu0.used_mib=20000");
        clock.Advance(fake.Options.PollInterval);
        await Eventually.TrueAsync(() => poller.Current.TakenAt == Start + fake.Options.PollInterval);

        Assert.Equal(20000 * Mib, poller.Current.Gpus[0].MemoryUsedBytes);
        await poller.StopAsync(CancellationToken.None);
    }
}
