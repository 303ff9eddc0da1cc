namespace GpuRouter.Instances;

/// <summary>A waiter's view of a cold start, reported every few seconds while it waits.</summary>
public readonly record struct StartProgress(string Instance, string Gpus, InstanceState State, TimeSpan Elapsed);
