using System.Net;
using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Telemetry;

namespace GpuRouter.Security;

/// <summary>
/// First thing every request meets, probes and CORS preflights included: an address outside
/// server.allowedNetworks is a 403, counted in router_requests_total with no labels but the status.
/// The router's own watchdog probe passes with its <see cref="ProbeKey"/> (loopback may be left out).
/// </summary>
internal sealed class NetworkAllowlistMiddleware(RequestDelegate next, ServerOptions server, RouterMetrics metrics, ProbeKey probe)
{
    private readonly IPNetwork[] _networks = [.. server.AllowedNetworks];

    public Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || Allowed(remote) || probe.Admits(context)) return next(context);
        return Refusals.WriteAsync(context, metrics, Failure.Forbidden(code: "address_not_allowed", $"The address {remote} is not in server.allowedNetworks."), "");
    }

    private bool Allowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }
}
