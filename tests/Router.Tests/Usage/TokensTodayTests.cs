using GpuRouter.Usage;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Usage;

/// <summary>The day's tokens per client in the configured zone, with a fake clock: midnight, late events, seeds, a skipped midnight.</summary>
public sealed class TokensTodayTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Read_CountsTheLocalDay_AndIsZeroFromLocalMidnight()
    {
        // 23:30 in Berlin in summer (CEST, UTC+2) is 21:30 UTC: the UTC date is the same, the turn is not at 00:00 UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 21, 30, 0, TimeSpan.Zero));
        var today = new TokensToday(Berlin, clock);
        today.Add("n8n", 70, clock.GetUtcNow());
        today.Add("n8n", 30, clock.GetUtcNow());

        Assert.Equal(100, today.Read("n8n"));
        Assert.Equal(TimeSpan.FromMinutes(30), today.UntilMidnight());
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(0, today.Read("n8n"));
        Assert.Equal(TimeSpan.FromHours(24), today.UntilMidnight());
    }

    [Fact]
    public void EventOfYesterday_ArrivingAfterMidnight_DoesNotCountToday()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 14, 23, 0, 0, TimeSpan.Zero)); // 00:00 in Berlin
        var today = new TokensToday(Berlin, clock);
        today.Add("n8n", 5, clock.GetUtcNow());
        today.Add("n8n", 1000, clock.GetUtcNow().AddSeconds(-1));

        Assert.Equal(5, today.Read("n8n"));
    }

    [Fact]
    public void Seed_AddsAnEarlierRunsTokensOfTheSameDayOnly()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 14, 12, 0, 0, TimeSpan.Zero));
        var today = new TokensToday(Berlin, clock);
        today.Add("n8n", 10, clock.GetUtcNow());
        var day = today.LocalDay(clock.GetUtcNow());

        today.Seed(new Dictionary<string, long> { ["n8n"] = 500, ["webui"] = 7 }, day);
        today.Seed(new Dictionary<string, long> { ["n8n"] = 9999 }, day.AddDays(-1));

        Assert.Equal(510, today.Read("n8n"));
        Assert.Equal(7, today.Read("webui"));
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 23, 0, 0, TimeSpan.Zero), today.StartOf(day));
    }

    [Fact]
    public void DayWhoseMidnightIsSkippedByAClockChange_StartsAtTheFirstValidTime()
    {
        // Chile moved its clocks from 00:00 to 01:00 on 8 September 2024: that day has no midnight.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 9, 8, 3, 30, 0, TimeSpan.Zero)); // 23:30 on the 7th (UTC-4)
        var today = new TokensToday(santiago, clock);

        Assert.Equal(new DateTimeOffset(2024, 9, 8, 4, 0, 0, TimeSpan.Zero), today.StartOf(new DateOnly(2024, 9, 8)));
        Assert.Equal(TimeSpan.FromMinutes(30), today.UntilMidnight());
    }
}
