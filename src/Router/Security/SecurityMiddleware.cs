using GpuRouter.Configuration;
using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Telemetry;

namespace GpuRouter.Security;

/// <summary>
/// After the network allowlist (<see cref="NetworkAllowlistMiddleware"/>) and CORS: the API key
/// (401) for everything but the probes and the status page's files. Admin routes also need an
/// admin key: the /admin group's policy (<see cref="AdminKeyPolicy"/>) answers 403 otherwise.
/// Refusals are counted in router_requests_total (no model or instance), so a dashboard sees bad keys too.
/// </summary>
internal sealed class SecurityMiddleware(
    RequestDelegate next, ClientRegistry clients, ClientRateLimiter limits, RouterMetrics metrics)
{
    private static readonly ClientIdentity Anonymous = new("anonymous", ClientSource.Batch, Admin: false);

    public Task InvokeAsync(HttpContext context)
    {
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
                return Refuse(context, Failure.Unauthorized(message), "");
            }
        }
        if (path.StartsWithSegments("/v1") && limits.TryAcquire(identity.Name) is { } wait)
            return Refuse(context, Failure.RateLimited($"Client '{identity.Name}' is over its request rate. Retry later.", wait), SourceLabel(identity));
        // A feature, not HttpContext.Items: Items costs a dictionary per request, a feature a slot
        // that Kestrel reuses across the requests of a connection.
        context.Features.Set(identity);
        return next(context);
    }

    private Task Refuse(HttpContext context, Failure error, string source) => Refusals.WriteAsync(context, metrics, error, source);

    internal static string SourceLabel(ClientIdentity identity) => identity.Source == ClientSource.Interactive ? "interactive" : "batch";

    public static ClientIdentity Identity(HttpContext context) => context.Features.Get<ClientIdentity>() ?? Anonymous;

    // The status page's files need no key either: its API calls (GET /health, /admin with the
    // operator's key) are checked as any other.
    private static bool IsProbe(PathString path) =>
        path == "/health" || path == "/ready" || path == "/metrics" || path.StartsWithSegments("/ui");

    private static ReadOnlySpan<char> BearerKey(string header)
    {
        var span = header.AsSpan().Trim();
        return span.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? span[7..].Trim() : [];
    }
}
