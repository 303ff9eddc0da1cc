using System.Net;
using GpuRouter.Configuration;
using GpuRouter.Http;
using GpuRouter.Telemetry;

namespace GpuRouter.Security;

/// <summary>
/// First thing every request meets: the network allowlist (403), then the API key (401) for
/// everything but the probes. Admin routes need an admin key (403 otherwise); the router's own
/// watchdog probe passes the allowlist with its <see cref="ProbeKey"/>. Refusals are
/// counted in router_requests_total (no model or instance), so a dashboard sees bad keys too.
/// </summary>
internal sealed class SecurityMiddleware(
    RequestDelegate next, RouterSettings settings, ClientRegistry clients, ClientRateLimiter limits, RouterMetrics metrics, ProbeKey probe)
{
    private static readonly ClientIdentity Anonymous = new("anonymous", ClientSource.Batch, Admin: false);
    private readonly IPNetwork[] _networks = [.. settings.Server.AllowedNetworks];

    public Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && !Allowed(remote) && !probe.Admits(context))
            return Refuse(context, RouterError.Forbidden($"The address {remote} is not in server.allowedNetworks."), "");

        var path = context.Request.Path;
        if (IsProbe(path)) return next(context);

        ClientIdentity? identity;
        if (clients.IsOpen)
        {
            identity = Anonymous;
        }
        else
        {
            var key = BearerKey(context.Request.Headers.Authorization.ToString());
            identity = clients.Find(key);
            if (identity is null)
            {
                var message = key.IsEmpty
                    ? "No API key given. Send it as 'Authorization: Bearer KEY'."
                    : "Incorrect API key provided.";
                return Refuse(context, RouterError.Unauthorized(message), "");
            }
        }
        if (path.StartsWithSegments("/admin") && !identity.Admin && !clients.IsOpen)
            return Refuse(context, new RouterError(403, "permission_error", "admin_only", "This route needs an admin key."), SourceLabel(identity));
        if (path.StartsWithSegments("/v1") && limits.TryAcquire(identity.Name) is { } wait)
            return Refuse(context, RouterError.RateLimited($"Client '{identity.Name}' is over its request rate. Retry later.", wait), SourceLabel(identity));
        // A feature, not HttpContext.Items: Items costs a dictionary per request, a feature a slot
        // that Kestrel reuses across the requests of a connection.
        context.Features.Set(identity);
        return next(context);
    }

    private Task Refuse(HttpContext context, RouterError error, string source)
    {
        metrics.RecordRequest(new Telemetry.RequestRecord("", "", "", source, error.Status, TimeSpan.Zero, TimeSpan.Zero, null, 0, 0));
        return ErrorResults.WriteAsync(context, error);
    }

    private static string SourceLabel(ClientIdentity identity) => identity.Source == ClientSource.Interactive ? "interactive" : "batch";

    public static ClientIdentity Identity(HttpContext context) => context.Features.Get<ClientIdentity>() ?? Anonymous;

    private bool Allowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }

    private static bool IsProbe(PathString path) =>
        path == "/health" || path == "/ready" || path == "/metrics";

    private static ReadOnlySpan<char> BearerKey(string header)
    {
        var span = header.AsSpan().Trim();
        return span.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? span[7..].Trim() : [];
    }
}
