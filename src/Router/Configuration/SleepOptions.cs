namespace GpuRouter.Configuration;

/// <summary>
/// A model's <c>sleep:</c> section: its idle instances are put to sleep (vLLM's sleep mode) instead
/// of being stopped. Level 1 keeps the weights in host RAM (<see cref="HostMemoryBytes"/> of it,
/// counted against <c>host.memoryBudget</c>); level 2 drops them and reloads them on wake.
/// </summary>
/// <param name="Level">1 or 2, as vLLM's <c>POST /sleep?level=N</c>.</param>
/// <param name="HostMemoryBytes">RAM the weights take while asleep (level 1).</param>
/// <param name="ResidualShare">The share of each GPU a sleeping instance still holds (CUDA context, graphs).</param>
/// <param name="After">Idle time before it sleeps on its own; null: only to make room.</param>
public sealed record SleepOptions(int Level, long HostMemoryBytes, double ResidualShare, TimeSpan? After)
{
    /// <summary>What counts against the host budget while asleep: the weights at level 1, nothing at level 2.</summary>
    public long HeldHostMemoryBytes => Level == 1 ? HostMemoryBytes : 0;
}
