using GpuRouter.Configuration;

namespace GpuRouter.Admin;

/// <summary>An instance's sleep settings as /admin/instances and /health show them (null: it is stopped, never put to sleep).</summary>
/// <param name="After">Idle time before it sleeps on its own, as the config writes durations (e.g. "10m"); null: only to make room.</param>
internal sealed record SleepView(int Level, long HostMemoryBytes, double ResidualShare, string? After)
{
    public static SleepView? From(SleepOptions? sleep) =>
        sleep is null ? null : new SleepView(sleep.Level, sleep.HostMemoryBytes, sleep.ResidualShare, sleep.After is { } a ? Duration.Format(a) : null);
}
