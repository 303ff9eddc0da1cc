using System.Net;
using GpuRouter.Hosts;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Where an engine's containers listen and where the router reaches them. The local engine's
/// listen and publish on 127.0.0.1 only. A remote host's listen (host network) on its
/// <c>bind</c> or <c>address</c>, never on its loopback, or publish their port on <c>bind</c>, on
/// the address when it is an IP, else on every interface; the router reaches them at <c>address</c>.
/// </summary>
/// <param name="Host">The host's name (<see cref="HostsOptions.LocalName"/> for this machine).</param>
/// <param name="ListenHost">vLLM's <c>--host</c> under the host network.</param>
/// <param name="PublishIp">The HostIp of a published port; empty: every interface.</param>
/// <param name="ReachHost">The host part of the URL the router sends to.</param>
internal sealed record ContainerSite(string Host, string ListenHost, string PublishIp, string ReachHost)
{
    public static readonly ContainerSite Local = new(HostsOptions.LocalName, "127.0.0.1", "127.0.0.1", "127.0.0.1");

    public bool IsLocal => Host == HostsOptions.LocalName;

    public static ContainerSite Of(GpuHostOptions host)
    {
        var addressIsIp = IPAddress.TryParse(host.Address, out _);
        return new ContainerSite(host.Name, host.Bind ?? host.Address, host.Bind ?? (addressIsIp ? host.Address : ""), host.Address);
    }

    /// <summary>The base URL of a container answering on <paramref name="port"/> (IPv6 addresses bracketed).</summary>
    public Uri At(int port) =>
        IPAddress.TryParse(ReachHost, out var ip)
            ? new Uri($"http://{new IPEndPoint(ip, port)}/")
            : new Uri($"http://{ReachHost}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");
}
