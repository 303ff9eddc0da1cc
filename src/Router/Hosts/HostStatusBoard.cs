using System.Collections.Concurrent;

namespace GpuRouter.Hosts;

/// <summary>
/// The reachability of every host's engine: each host's engine watcher reports here, routing
/// asks before it sends a request to a host's instance, and the views read the snapshot. It never
/// gates <c>/ready</c>: an unreachable remote host must not get the router restarted.
/// </summary>
public sealed class HostStatusBoard
{
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<(string Name, string Engine, string? Address)> _hosts;
    private readonly ConcurrentDictionary<string, HostStatus> _status = new(StringComparer.Ordinal);

    public HostStatusBoard(string localEngine, HostsOptions hosts, TimeProvider time)
    {
        _time = time;
        _hosts = [(HostsOptions.LocalName, localEngine, null), .. hosts.Hosts.Select(h => (h.Name, h.Docker, (string?)h.Address))];
        var now = time.GetUtcNow();
        foreach (var (name, engine, address) in _hosts)
            _status[name] = new HostStatus(name, engine, address, HostReachability.Unknown, now, null);
    }

    /// <summary>Every host, the local engine first, then <c>hosts[]</c> in config order.</summary>
    public IReadOnlyList<HostStatus> Snapshot() => [.. _hosts.Select(h => _status[h.Name])];

    /// <summary>The host's status; an unknown name (or null, an instance without <c>host</c>) is the local engine.</summary>
    public HostStatus Of(string? host) => _status.TryGetValue(host ?? HostsOptions.LocalName, out var s) ? s : _status[HostsOptions.LocalName];

    /// <summary>False only when the engine was found unreachable; unknown counts as reachable (start-up).</summary>
    public bool IsReachable(string? host) => Of(host).Reachability != HostReachability.Unreachable;

    public void MarkReachable(string host) => Set(host, HostReachability.Reachable, null);

    public void MarkUnreachable(string host, string reason) => Set(host, HostReachability.Unreachable, reason);

    private void Set(string host, HostReachability reachability, string? reason)
    {
        if (!_status.TryGetValue(host, out var current)) throw new ArgumentException($"no host '{host}'", nameof(host));
        var since = current.Reachability == reachability ? current.Since : _time.GetUtcNow();
        _status[host] = current with { Reachability = reachability, Since = since, Reason = reason };
    }
}
