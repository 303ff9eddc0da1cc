using GpuRouter.Gpu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Gpu;

public sealed class NvmlPollerFailureTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Start_LibraryMissing_TelemetryOffWithOneWarningAndNoException()
    {
        var logger = new RecordingLogger<NvmlPoller>();
        var options = new NvmlOptions { Library = Path.Combine(Path.GetTempPath(), "no-such-dir", "libnvidia-ml.so.1") };
        using var poller = new NvmlPoller(options, new FakeTimeProvider(Start), logger);

        await poller.StartAsync(CancellationToken.None);
        var snapshot = await poller.RefreshAsync(CancellationToken.None);
        await poller.StopAsync(CancellationToken.None);

        Assert.False(poller.Enabled);
        Assert.Same(GpuSnapshot.Empty, snapshot);
        Assert.Same(GpuSnapshot.Empty, poller.Current);
        var warning = Assert.Single(logger.Warnings);
        Assert.Equal(7000, warning.Id.Id);
        Assert.Contains("no-such-dir", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_LibraryWithoutNvmlExports_TelemetryOffNamingTheMissingExport()
    {
        var logger = new RecordingLogger<NvmlPoller>();
        using var poller = new NvmlPoller(new NvmlOptions { Library = "libc.so.6" }, new FakeTimeProvider(Start), logger);

        _ = poller.RefreshAsync(CancellationToken.None);

        Assert.False(poller.Enabled);
        Assert.Contains("has no export nvmlInit_v2", Assert.Single(logger.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InitFails_TelemetryOffWithNvmlsErrorStringLogged()
    {
        using var fake = new FakeNvml("init_error=9");
        var logger = new RecordingLogger<NvmlPoller>();
        using var poller = new NvmlPoller(fake.Options, new FakeTimeProvider(Start), logger);

        await poller.StartAsync(CancellationToken.None);
        await poller.RefreshAsync(CancellationToken.None);
        await poller.StopAsync(CancellationToken.None);

        Assert.False(poller.Enabled);
        Assert.Empty(poller.Current.Gpus);
        var warning = Assert.Single(logger.Warnings);
        Assert.Equal(7001, warning.Id.Id);
        Assert.Contains("Driver Not Loaded", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_GpuLostMidPoll_OnlyThatGpuUnavailableThenRecovers()
    {
        var clock = new FakeTimeProvider(Start);
        var interval = TimeSpan.FromSeconds(5);
        using var fake = new FakeNvml("count=2", "gpu1.used_mib=3000");
        var logger = new RecordingLogger<NvmlPoller>();
        using var poller = new NvmlPoller(fake.Options, clock, logger);
        await poller.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => poller.Current.TakenAt == Start);

        fake.Write("count=2", "gpu1.lost=1");
        clock.Advance(interval);
        await Eventually.TrueAsync(() => poller.Current.TakenAt == Start + interval);
        var lost = poller.Current;

        fake.Write("count=2", "gpu1.used_mib=4000");
        clock.Advance(interval);
        await Eventually.TrueAsync(() => poller.Current.TakenAt == Start + 2 * interval);
        var recovered = poller.Current;
        await poller.StopAsync(CancellationToken.None);

        Assert.True(lost.Gpus[0].Available);
        Assert.False(lost.Gpus[1].Available);
        Assert.Equal("GPU is lost", lost.Gpus[1].Error);
        Assert.Equal("NVIDIA GeForce RTX 3090", lost.Gpus[1].Name);
        Assert.Equal("GPU-fa4e0000-0000-0000-0000-000000000001", lost.Gpus[1].Uuid);
        Assert.Equal(0ul, lost.Gpus[1].MemoryUsedBytes);
        Assert.True(recovered.Gpus[1].Available);
        Assert.Null(recovered.Gpus[1].Error);
        Assert.Equal(4000ul * 1024 * 1024, recovered.Gpus[1].MemoryUsedBytes);
        Assert.True(poller.Enabled);
        Assert.Contains(logger.Entries, e => e.Id.Id == 7003 && e.Message.Contains("GPU is lost", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Id.Id == 7004 && e.Level == LogLevel.Information);
    }

    [Fact]
    public async Task Poll_GpuStaysLost_WarnsOnceNotOnEveryPoll()
    {
        using var fake = new FakeNvml("count=2", "gpu0.error=15");
        var logger = new RecordingLogger<NvmlPoller>();
        using var poller = new NvmlPoller(fake.Options, new FakeTimeProvider(Start), logger);

        for (var i = 0; i < 3; i++)
        {
            await poller.RefreshAsync(CancellationToken.None);
        }

        Assert.Equal(7003, Assert.Single(logger.Warnings).Id.Id);
        Assert.True(poller.Current.Gpus[1].Available);
    }

    [Fact]
    public async Task Poll_CountFails_KnownGpusReportedUnavailableThenBack()
    {
        using var fake = new FakeNvml("count=2");
        var logger = new RecordingLogger<NvmlPoller>();
        using var poller = new NvmlPoller(fake.Options, new FakeTimeProvider(Start), logger);
        await poller.RefreshAsync(CancellationToken.None);

        fake.Write("count=2", "count_error=9");
        var failed = await poller.RefreshAsync(CancellationToken.None);
        fake.Write("count=2");
        var back = await poller.RefreshAsync(CancellationToken.None);

        Assert.Equal([0, 1], failed.Gpus.Select(g => g.Index));
        Assert.All(failed.Gpus, g => Assert.Equal("Driver Not Loaded", g.Error));
        Assert.All(failed.Gpus, g => Assert.Equal("NVIDIA GeForce RTX 3090", g.Name));
        Assert.All(back.Gpus, g => Assert.True(g.Available));
        Assert.Equal(7005, Assert.Single(logger.Warnings).Id.Id);
        Assert.Equal(2, logger.Entries.Count(e => e.Id.Id == 7004));
    }
}
