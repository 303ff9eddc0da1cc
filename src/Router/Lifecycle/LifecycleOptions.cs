using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

/// <summary>
/// How instances start and stop (keys <c>routing.coldStartTimeout</c>, <c>routing.drainTimeout</c>,
/// <c>routing.healthPollInterval</c>) and where the router keeps its state (<c>state.dir</c>).
/// </summary>
public sealed record LifecycleOptions(TimeSpan ColdStartTimeout, TimeSpan DrainTimeout, TimeSpan HealthPollInterval, string StateDir)
{
    /// <summary>The model's own <c>coldStartTimeout</c> where it has one (a first start that downloads), else the routing one.</summary>
    public TimeSpan ColdStartTimeoutFor(InstanceDefinition instance) => instance.Model.ColdStartTimeout ?? ColdStartTimeout;
}
