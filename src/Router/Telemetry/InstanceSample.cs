namespace GpuRouter.Telemetry;

/// <summary>An instance's live state, read at scrape time through <see cref="RouterMetrics.ObserveInstances"/>.</summary>
/// <param name="State">One of <see cref="RouterMetrics.InstanceStates"/>.</param>
public readonly record struct InstanceSample(string Instance, string State, int Inflight, int Queued);
