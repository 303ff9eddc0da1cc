using GpuRouter.Configuration;

namespace GpuRouter.Schedule;

/// <summary>Owns the current mode: computed from the schedule at start-up.</summary>
internal sealed class ModeController : IModeState
{
    private readonly NightSchedule _schedule;
    private readonly TimeProvider _time;

    public ModeController(RouterSettings settings, TimeProvider time)
    {
        _schedule = new NightSchedule(settings.Schedule);
        _time = time;
        Mode = _schedule.ModeAt(time.GetUtcNow());
    }

    public ModelMode Mode { get; private set; }

    public DateTimeOffset? NextSwitch => _schedule.NextSwitchAfter(_time.GetUtcNow());
}
