using GpuRouter.Hosts;

namespace GpuRouter.Admin;

/// <summary>
/// One host's engine as /health and /admin/gpus show it: the local engine (<c>local</c>) first,
/// then <c>hosts[]</c> in config order. <see cref="Reachability"/> is <c>unknown</c> (not asked
/// yet), <c>reachable</c> or <c>unreachable</c>; <see cref="Since"/> is when it last changed.
/// </summary>
internal sealed record HostView(string Name, string Engine, string? Address, string Reachability, DateTimeOffset Since, string? Reason)
{
    public static IReadOnlyList<HostView> All(HostStatusBoard board) => [.. board.Snapshot().Select(From)];

    public static HostView From(HostStatus status) =>
        new(status.Name, status.Engine, status.Address, Text(status.Reachability), status.Since, status.Reason);

    public static string Text(HostReachability reachability) => reachability.ToString().ToLowerInvariant();
}
