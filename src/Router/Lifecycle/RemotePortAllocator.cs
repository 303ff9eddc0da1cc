using System.Globalization;
using GpuRouter.Docker;
using GpuRouter.Hosts;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Host ports on another host, from its <c>portRange</c>. No socket of that host can be probed from
/// here, so a port counts as taken when that host's engine reports it: published by any container,
/// or held by a router's container there (the port label; containers on the host network publish
/// nothing). A program outside Docker holding a port of the range is not seen: the range should be
/// the router's alone, as the configuration reference says.
/// </summary>
internal sealed class RemotePortAllocator(IDockerClient docker, GpuHostOptions host) : IHostPorts
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byInstance = new(StringComparer.Ordinal);

    public async ValueTask<int> AllocateAsync(string instance, CancellationToken ct)
    {
        var listed = await docker.ListContainersAsync(new Dictionary<string, string?>(), all: true, ct);
        var inUse = new HashSet<int>();
        foreach (var c in listed)
        {
            // Its own (old) container gives its port back when it is replaced.
            if (ContainerLabels.Get(c.Labels, ContainerLabels.Instance) == instance) continue;
            foreach (var p in c.Ports ?? []) if (p.PublicPort is > 0 and { } published) inUse.Add(published);
            if (int.TryParse(ContainerLabels.Get(c.Labels, ContainerLabels.Port), CultureInfo.InvariantCulture, out var labelled)) inUse.Add(labelled);
        }
        lock (_lock)
        {
            if (_byInstance.TryGetValue(instance, out var kept) && !inUse.Contains(kept)) return kept;
            var taken = _byInstance.Where(kv => kv.Key != instance).Select(kv => kv.Value).ToHashSet();
            for (var port = host.PortFirst; port <= host.PortLast; port++)
            {
                if (taken.Contains(port) || inUse.Contains(port)) continue;
                _byInstance[instance] = port;
                return port;
            }
        }
        throw new InvalidOperationException($"No free port left in portRange {host.PortFirst}-{host.PortLast} of host {host.Name}.");
    }

    public void Adopt(string instance, int port)
    {
        lock (_lock) _byInstance[instance] = port;
    }
}
