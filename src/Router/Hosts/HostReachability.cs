namespace GpuRouter.Hosts;

/// <summary>Whether the router can reach a host's Docker engine right now.</summary>
public enum HostReachability
{
    /// <summary>Not asked yet (start-up).</summary>
    Unknown,
    Reachable,
    Unreachable,
}
