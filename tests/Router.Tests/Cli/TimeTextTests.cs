using GpuRouter.Cli;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Cli;

/// <summary>How the tables write times, on a fake clock in a fixed time zone.</summary>
public sealed class TimeTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static FakeTimeProvider Clock()
    {
        var clock = new FakeTimeProvider(Now);
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        return clock;
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59_999, "59s")]
    [InlineData(60_000, "1m")]
    [InlineData(200_000, "3m 20s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(7_500_000, "2h 5m")]
    [InlineData(86_400_000 + 4 * 3_600_000, "1d 4h")]
    [InlineData(-5_000, "0s")]
    public void Span_ShowsTheTwoLargestUnits(long milliseconds, string expected) =>
        Assert.Equal(expected, TimeText.Span(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void AgoInAndLocal_ReadTheClockAndItsTimeZone()
    {
        var clock = Clock();

        Assert.Equal("1m 30s ago", TimeText.Ago(Now.AddSeconds(-90), clock));
        Assert.Equal("never", TimeText.Ago(null, clock));
        Assert.Equal("in 14h", TimeText.In(Now.AddHours(14), clock));
        Assert.Equal("2026-03-01 13:00:00 +01:00", TimeText.Local(Now, clock));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("3m 30s ago", TimeText.Ago(Now.AddSeconds(-90), clock));
    }
}
