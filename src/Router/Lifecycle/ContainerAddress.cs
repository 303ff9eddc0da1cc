using System.Net;
using Docker.DotNet.Models;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Where a container on a user-defined bridge network answers: its address on that network, as
/// inspect reports it (<c>NetworkSettings.Networks[name].IPAddress</c>). A router on the host
/// cannot resolve container names (Docker's DNS answers only inside the network), but on Linux
/// it reaches the bridge's addresses directly, and so does a router inside the network.
/// </summary>
internal static class ContainerAddress
{
    public static Uri? OnBridge(ContainerInspectResponse container, string network) =>
        container.NetworkSettings?.Networks is { } networks
        && networks.TryGetValue(network, out var endpoint)
        && IPAddress.TryParse(endpoint.IPAddress, out var ip)
            ? new Uri($"http://{new IPEndPoint(ip, ContainerSpecFactory.ContainerPort)}/")
            : null;
}
