using GpuRouter.Instances;

namespace GpuRouter.Schedule;

/// <summary>
/// One mode switch as /admin/mode shows it: what left (and which of it sleeps), what arrived, and
/// how long each phase took: draining until the last leaving instance is idle, stopping (or putting
/// to sleep) after that, starting the arriving preload instances.
/// </summary>
public sealed class SwitchReport(ModelMode from, ModelMode to, DateTimeOffset startedAt)
{
    public string From { get; } = from.ToString().ToLowerInvariant();
    public string To { get; } = to.ToString().ToLowerInvariant();
    public DateTimeOffset StartedAt { get; } = startedAt;
    public string Phase { get; set; } = "draining";
    public IReadOnlyList<string> Leaving { get; init; } = [];
    public IReadOnlyList<string> Arriving { get; init; } = [];

    /// <summary>The leaving instances that were put to sleep instead of stopped.</summary>
    public IReadOnlyList<string> Slept { get; set; } = [];
    public double? DrainMs { get; set; }
    public double? StopMs { get; set; }
    public double? StartMs { get; set; }
    public double? TotalMs { get; set; }
    public string? Error { get; set; }
}
