using GpuRouter.Hosting;

namespace Router.Tests.Hosting;

public class WatchdogSettingsTests
{
    private const int Pid = 4242;

    private static WatchdogSettings? From(string? usec, string? pid = null) =>
        WatchdogSettings.From(name => name switch { "WATCHDOG_USEC" => usec, "WATCHDOG_PID" => pid, _ => null }, Pid);

    [Theory]
    [InlineData("30000000", 15_000, 5_000, 1_000)]
    [InlineData("1000000", 500, 250, 125)]
    public void Timeout_PingsAtHalf_WithBoundsInsideOneInterval(string usec, int intervalMs, int requestMs, int lockMs)
    {
        var settings = From(usec);

        Assert.NotNull(settings);
        Assert.Equal(TimeSpan.FromMilliseconds(intervalMs), settings.PingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(requestMs), settings.RequestBound);
        Assert.Equal(TimeSpan.FromMilliseconds(lockMs), settings.LockBound);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("30s", null)]
    [InlineData("30000000", "1")]
    public void NotAskedForOrNotForThisProcess_IsOff(string? usec, string? pid) => Assert.Null(From(usec, pid));

    [Fact]
    public void PidOfThisProcess_IsOn() => Assert.NotNull(From("30000000", "4242"));
}
