namespace GpuRouter.Lifecycle;

/// <summary>What the room-making rule decides over: every reservation, and each host's RAM budget.</summary>
internal sealed record RoomSnapshot(IReadOnlyList<RoomEntry> Entries, IReadOnlyDictionary<string, HostBudget> Hosts)
{
    public HostBudget BudgetOf(string host) => Hosts.TryGetValue(host, out var budget) ? budget : new HostBudget(0, 0);
}
