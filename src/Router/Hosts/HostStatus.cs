namespace GpuRouter.Hosts;

/// <summary>One host as the views show it: the local engine (<see cref="HostsOptions.LocalName"/>) or one of <c>hosts[]</c>.</summary>
/// <param name="Engine">The engine's endpoint as configured (<c>docker.endpoint</c> or <c>hosts[].docker</c>).</param>
/// <param name="Address">Where the router reaches that host's containers; null for the local engine (loopback).</param>
/// <param name="Since">When <paramref name="Reachability"/> last changed.</param>
/// <param name="Reason">Why the engine is unreachable (the last error, never a secret); null otherwise.</param>
public sealed record HostStatus(string Name, string Engine, string? Address, HostReachability Reachability, DateTimeOffset Since, string? Reason);
