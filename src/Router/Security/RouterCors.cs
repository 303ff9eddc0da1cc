using GpuRouter.Http;

namespace GpuRouter.Security;

/// <summary>
/// CORS for browsers that call the API themselves (Open WebUI's Direct Connections), through
/// ASP.NET Core's CORS middleware. Off unless server.corsOrigins names origins: then a preflight
/// from one of them is answered 204 before any key is asked for (the network allowlist still
/// comes first), and every answer to such an origin, errors included, lets the page read
/// Retry-After and the X-Router-* headers. Other origins get no CORS headers.
/// </summary>
public static class RouterCors
{
    /// <summary>The response headers a page may read besides the safelisted ones.</summary>
    public static IReadOnlyList<string> ExposedHeaders { get; } =
    [
        "Retry-After", "X-Router-Instance", "X-Router-Gpu", "X-Router-Queue-Ms", "X-Router-Cold-Start-Ms", "X-Router-Wake-Ms",
        "X-Router-Fallback", "X-Router-Error-Origin",
    ];

    public static IServiceCollection AddRouterCors(this IServiceCollection services, ServerOptions server)
    {
        if (server.CorsOrigins.Count == 0) return services;
        return services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            // Keys travel in the Authorization header, never in cookies: no credentials mode.
            if (server.CorsOrigins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins([.. server.CorsOrigins]);
            policy.AllowAnyMethod().AllowAnyHeader().WithExposedHeaders([.. ExposedHeaders])
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
    }

    /// <summary>Between the network allowlist and the key check; nothing at all when no origin is configured.</summary>
    public static IApplicationBuilder UseRouterCors(this IApplicationBuilder app, ServerOptions server) =>
        server.CorsOrigins.Count == 0 ? app : app.UseCors();
}
