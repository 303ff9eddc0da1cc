using GpuRouter.Hosting;

namespace Router.Tests.Hosting;

public class WatchdogSettingsTests
{
    private const int Pid = 4242;

    private static WatchdogSettings? From(string? usec, string? pid = null) =>
        WatchdogSettings.From(name => name switch { "WATCHDOG_USEC" => usec, "WATCHDOG_PID" => pid, _ => null }, Pid);

    [Fact]
    public void ThirtySeconds_PingsEveryFifteen_WithBoundsInsideOneInterval()
    {
        var settings = From("30000000");

        Assert.NotNull(settings);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RequestBound);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.LockBound);
    }

    [Fact]
    public void ShortTimeout_BoundsShrinkWithTheInterval()
    {
        var settings = From("1000000");

        Assert.NotNull(settings);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.PingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.RequestBound);
        Assert.Equal(TimeSpan.FromMilliseconds(125), settings.LockBound);
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
