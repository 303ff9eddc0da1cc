using GpuRouter.Configuration;
using GpuRouter.Instances;
using GpuRouter.Schedule;

namespace Router.Tests.Schedule;

public class NightScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly NightSchedule Schedule = new(new ScheduleOptions(Berlin, "0 0 2 * * ?", "0 0 6 * * ?", StateDir: ""));

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTime(year, month, day, hour, minute, 0), Berlin.GetUtcOffset(new DateTime(year, month, day, hour, minute, 0)));

    [Theory]
    [InlineData(1, 59, ModelMode.Day)]
    [InlineData(2, 0, ModelMode.Night)]
    [InlineData(3, 0, ModelMode.Night)]
    [InlineData(5, 59, ModelMode.Night)]
    [InlineData(6, 0, ModelMode.Day)]
    [InlineData(14, 0, ModelMode.Day)]
    public void ModeAt_LocalTime_FollowsTheWindow(int hour, int minute, ModelMode expected) =>
        Assert.Equal(expected, Schedule.ModeAt(Local(2026, 11, 22, hour, minute)));

    [Fact]
    public void NextSwitchAfter_Daytime_IsTwoAmBerlin()
    {
        var next = Schedule.NextSwitchAfter(Local(2026, 11, 22, 14));
        Assert.Equal(Local(2026, 11, 23, 2), next);
    }

    [Fact]
    public void ModeAt_SpringForwardNight_StillNightAtThreeThirty()
    {
        // 2026-03-29: clocks jump from 02:00 to 03:00 in Berlin; the 02:00 trigger falls in the gap.
        var at = new DateTimeOffset(2026, 3, 29, 3, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(ModelMode.Night, Schedule.ModeAt(at));
        Assert.Equal(ModelMode.Day, Schedule.ModeAt(new DateTimeOffset(2026, 3, 29, 6, 30, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void ModeAt_FallBackNight_WindowLastsItsWallClockHours()
    {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 05:30 CET is still inside the window.
        Assert.Equal(ModelMode.Night, Schedule.ModeAt(new DateTimeOffset(2026, 10, 25, 5, 30, 0, TimeSpan.FromHours(1))));
        Assert.Equal(ModelMode.Day, Schedule.ModeAt(new DateTimeOffset(2026, 10, 25, 6, 1, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void ModeAt_RouterDownAtTwo_StartsAtThreeInNight()
    {
        // Nothing fired while the router was down; the mode is computed from the schedule alone.
        Assert.Equal(ModelMode.Night, Schedule.ModeAt(Local(2026, 11, 22, 3)));
    }
}
