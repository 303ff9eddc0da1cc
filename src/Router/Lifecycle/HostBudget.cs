namespace GpuRouter.Lifecycle;

/// <summary>
/// A host's RAM as sleeping weights may use it: <paramref name="Budget"/> in total
/// (<c>host.memoryBudget</c>), and <paramref name="Available"/> for weights not yet in RAM
/// (MemAvailable less the margin; <see cref="long.MaxValue"/> where it cannot be read).
/// </summary>
internal readonly record struct HostBudget(long Budget, long Available);
