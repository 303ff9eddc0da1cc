using GpuRouter.Docker;
using System.Net;
using System.Net.Sockets;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Hands out host ports from docker.portRange: an instance keeps its port across restarts, an
/// adopted container keeps the port in its label, and a port something else is bound to is skipped.
/// </summary>
internal sealed class PortAllocator(DockerOptions docker) : IHostPorts
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byInstance = new(StringComparer.Ordinal);

    public int Allocate(string instance)
    {
        lock (_lock)
        {
            if (_byInstance.TryGetValue(instance, out var kept) && IsFree(kept)) return kept;
            var taken = _byInstance.Where(kv => kv.Key != instance).Select(kv => kv.Value).ToHashSet();
            for (var port = docker.PortFirst; port <= docker.PortLast; port++)
            {
                if (taken.Contains(port) || !IsFree(port)) continue;
                _byInstance[instance] = port;
                return port;
            }
            throw new InvalidOperationException($"No free port left in docker.portRange {docker.PortFirst}-{docker.PortLast}.");
        }
    }

    public ValueTask<int> AllocateAsync(string instance, CancellationToken ct) => ValueTask.FromResult(Allocate(instance));

    public void Adopt(string instance, int port)
    {
        lock (_lock) _byInstance[instance] = port;
    }

    /// <summary>True when nothing listens on the loopback port (tests reserve their blocks with it too).</summary>
    internal static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
