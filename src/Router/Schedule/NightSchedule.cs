using GpuRouter.Instances;
using Quartz;

namespace GpuRouter.Schedule;

/// <summary>
/// The night window as two cron expressions in the configured time zone. Pure: given an instant
/// it says which mode the schedule wants and when it next changes, so start-up at 03:00 (or a
/// router that was down at 02:00) lands in the right mode.
/// </summary>
public sealed class NightSchedule
{
    private readonly CronExpression _start;
    private readonly CronExpression _end;

    public NightSchedule(ScheduleOptions schedule)
    {
        _start = CronExpression.Parse(schedule.NightStart).WithTimeZone(schedule.TimeZone);
        _end = CronExpression.Parse(schedule.NightEnd).WithTimeZone(schedule.TimeZone);
    }

    public ModelMode ModeAt(DateTimeOffset at)
    {
        var lastStart = LastFireBefore(_start, at);
        var lastEnd = LastFireBefore(_end, at);
        if (lastStart is null) return ModelMode.Day;
        return lastEnd is null || lastStart > lastEnd ? ModelMode.Night : ModelMode.Day;
    }

    /// <summary>The next instant the schedule's mode changes after <paramref name="at"/>.</summary>
    public DateTimeOffset? NextSwitchAfter(DateTimeOffset at)
    {
        var expression = ModeAt(at) == ModelMode.Night ? _end : _start;
        return expression.GetNextValidTimeAfter(at);
    }

    // Quartz only looks forward; walk forward from far enough back. Daily and weekly windows
    // fire at least once in eight days, so this takes a handful of steps.
    private static DateTimeOffset? LastFireBefore(CronExpression expression, DateTimeOffset at)
    {
        DateTimeOffset? last = null;
        var cursor = at.AddDays(-8);
        for (var i = 0; i < 10_000; i++)
        {
            var next = expression.GetNextValidTimeAfter(cursor);
            if (next is null || next > at) break;
            last = next;
            cursor = next.Value;
        }
        return last;
    }
}
