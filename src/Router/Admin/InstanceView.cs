using GpuRouter.Instances;

namespace GpuRouter.Admin;

/// <summary>What /health and /admin/instances show of one instance.</summary>
internal sealed record InstanceView(
    string Name, string Model, string Mode, string State, IReadOnlyList<int> Gpus, string? Endpoint,
    int InFlight, int Queued, int Limit, int ConfiguredLimit, int MaxQueue, DateTimeOffset? LastUsed,
    string? ContainerId, int Restarts, string? LastError, SleepView? Sleep)
{
    public static InstanceView From(InstanceRuntime r, TimeProvider time)
    {
        var gate = r.Load;
        var d = r.Definition;
        var ts = gate.LastActivity;
        DateTimeOffset? lastUsed = ts > 0 ? time.GetUtcNow() - time.GetElapsedTime(ts) : null;
        return new InstanceView(
            d.Name, d.Model.Name, d.Model.Mode.ToString().ToLowerInvariant(), r.Owner.State.ToString(), d.Gpus,
            d.Endpoint?.ToString(), gate.InFlight, gate.Queued, gate.Limit, d.MaxConcurrent, gate.MaxQueue, lastUsed,
            r.Owner.ContainerId, r.Owner.Restarts, r.Owner.LastError, SleepView.From(d.Model.Sleep));
    }
}
