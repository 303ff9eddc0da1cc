using GpuRouter.Instances;
using GpuRouter.Lifecycle;

namespace GpuRouter.Schedule;

/// <summary>
/// Owns the mode. At start-up it is computed from the override (kept across restarts) or the
/// schedule; the cron triggers and the admin call <see cref="SwitchToAsync"/>, which runs one
/// switch at a time: the new mode routes new requests at once, the leaving instances drain
/// (bounded by routing.drainTimeout) and stop or sleep, and the arriving preload instances start.
/// </summary>
internal sealed partial class ModeController : IModeState, IHostedService
{
    private readonly NightSchedule _schedule;
    private readonly InstanceRegistry _registry;
    private readonly OverrideStore _store;
    private readonly LifecycleOptions _lifecycle;
    private readonly TimeProvider _time;
    private readonly ILogger<ModeController> _logger;
    private readonly ILeavePlanner? _planner;
    private readonly SemaphoreSlim _switching = new(1, 1);
    private volatile ModeState _current;

    public ModeController(
        ScheduleOptions schedule, LifecycleOptions lifecycle, InstanceRegistry registry, OverrideStore store, TimeProvider time,
        ILogger<ModeController> logger, ILeavePlanner? planner = null)
    {
        _planner = planner;
        _schedule = new NightSchedule(schedule);
        _registry = registry;
        _store = store;
        _lifecycle = lifecycle;
        _time = time;
        _logger = logger;
        var overriding = store.Load();
        var now = time.GetUtcNow();
        _current = new ModeState(Target(overriding, now), overriding, now, null);
    }

    public ModelMode Mode => _current.Mode;

    public ModeOverride Override => _current.Override;

    public DateTimeOffset Since => _current.Since;

    public SwitchReport? LastSwitch => _current.LastSwitch;

    public bool IsHeld => _current.Override != ModeOverride.Auto;

    public DateTimeOffset? NextSwitch => _current.Override == ModeOverride.Auto ? _schedule.NextSwitchAfter(_time.GetUtcNow()) : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogMode(_logger, Mode.ToString().ToLowerInvariant(), Override.ToString().ToLowerInvariant());
        Preload(Mode);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A cron trigger fired: follow the schedule unless an override holds.</summary>
    public Task FollowScheduleAsync(CancellationToken ct) =>
        _current.Override == ModeOverride.Auto ? SwitchToAsync(_schedule.ModeAt(_time.GetUtcNow()), ct) : Task.CompletedTask;

    /// <summary>The admin set an override: remember it, then switch if the mode changes.</summary>
    public SwitchReport? SetOverride(ModeOverride value)
    {
        _store.Save(value);
        var target = Target(value, _time.GetUtcNow());
        _current = _current with { Override = value };
        if (target == Mode) return null;
        var report = new SwitchReport(Mode, target, _time.GetUtcNow());
        _ = SwitchToAsync(target, CancellationToken.None, report);
        return report;
    }

    private ModelMode Target(ModeOverride value, DateTimeOffset now) => value switch
    {
        ModeOverride.Day => ModelMode.Day,
        ModeOverride.Night => ModelMode.Night,
        _ => _schedule.ModeAt(now),
    };

    private sealed record ModeState(ModelMode Mode, ModeOverride Override, DateTimeOffset Since, SwitchReport? LastSwitch);
}
