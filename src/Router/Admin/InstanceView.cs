using GpuRouter.Hosts;
using GpuRouter.Instances;
using GpuRouter.Timeline;

namespace GpuRouter.Admin;

/// <summary>
/// What /health and /admin/instances show of one instance. <see cref="LastUsed"/> is null until a
/// request arrives for it; <see cref="StateSince"/> is when it entered its state, null when the
/// router did not see that change (an instance adopted as it ran, an endpoint server).
/// <see cref="Host"/> is the engine that runs it: <c>local</c>, a <c>hosts[].name</c>, or null for
/// an endpoint server (the router routes to it but runs it on no engine).
/// </summary>
internal sealed record InstanceView(
    string Name, string Model, string Mode, string State, IReadOnlyList<int> Gpus, string? Endpoint,
    int InFlight, int Queued, int Limit, int ConfiguredLimit, int MaxQueue, DateTimeOffset? LastUsed,
    string? ContainerId, int Restarts, string? LastError, DateTimeOffset? StateSince, SleepView? Sleep, string? Host)
{
    /// <summary>Whether the status page offers sleep and wake (the model has a <c>sleep</c> section).</summary>
    public bool CanSleep => Sleep is not null;

    public static InstanceView From(InstanceRuntime r, TimeProvider time, StateClock clock)
    {
        var gate = r.Load;
        var d = r.Definition;
        DateTimeOffset? lastUsed = gate.LastUse is { } ts ? time.GetUtcNow() - time.GetElapsedTime(ts) : null;
        var state = r.Owner.State.ToString();
        return new InstanceView(
            d.Name, d.Model.Name, d.Model.Mode.ToString().ToLowerInvariant(), state, d.Gpus,
            d.Endpoint?.ToString(), gate.InFlight, gate.Queued, gate.Limit, d.MaxConcurrent, gate.MaxQueue, lastUsed,
            r.Owner.ContainerId, r.Owner.Restarts, r.Owner.LastError, clock.Since(d.Name, state), SleepView.From(d.Model.Sleep),
            d.IsManaged ? d.Host ?? HostsOptions.LocalName : null);
    }
}
