using GpuRouter.Hosts;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The host RAM sleeping weights may take on each remote host: its <c>memoryBudget</c> (0 when not
/// given: nothing sleeps there at level 1). There is no <c>/proc/meminfo</c> of that host to read,
/// so its free memory is not a second limit as it is here.
/// </summary>
internal sealed class RemoteBudgets(HostsOptions hosts)
{
    public IEnumerable<(string Host, HostBudget Budget)> Read() =>
        hosts.Hosts.Select(h => (h.Name, new HostBudget(h.MemoryBudgetBytes ?? 0, long.MaxValue)));
}
