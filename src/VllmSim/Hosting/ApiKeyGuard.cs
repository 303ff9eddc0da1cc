using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VllmSim.Hosting;

/// <summary>
/// <c>--api-key</c> as vLLM's AuthenticationMiddleware applies it: every route is guarded except
/// its public endpoints (health probes, /ping, /load, /version, metrics scraping and the API docs)
/// and CORS preflights (OPTIONS); a request without <c>Authorization: Bearer KEY</c> (scheme in any
/// case) gets 401 <c>{"error":"Unauthorized"}</c>, the only body vLLM sends for it.
/// </summary>
internal static class ApiKeyGuard
{
    private static readonly string[] PublicEndpoints =
        ["/health", "/ping", "/load", "/version", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/static"];

    public static void UseApiKeyGuard(this WebApplication app, string? apiKey)
    {
        if (apiKey is null) return;
        var expected = Encoding.UTF8.GetBytes(apiKey);
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsOptions(context.Request.Method) || IsPublic(context.Request.Path.Value ?? "/") || Authorized(context.Request, expected))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":\"Unauthorized\"}");
        });
    }

    // Exact or on a segment boundary: /healthcheck is not /health.
    private static bool IsPublic(string path) =>
        PublicEndpoints.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));

    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !header[..space].Equals("bearer", StringComparison.OrdinalIgnoreCase)) return false;
        return SameBytes(Encoding.UTF8.GetBytes(header[(space + 1)..]), expected);
    }

    // In constant time for keys of one length, as vLLM's compare_digest. Written out rather than
    // System.Security.Cryptography's, which needs libssl, and the image has none.
    private static bool SameBytes(byte[] given, byte[] expected)
    {
        var difference = given.Length ^ expected.Length;
        for (var i = 0; i < expected.Length; i++) difference |= expected[i] ^ (i < given.Length ? given[i] : 0);
        return difference == 0;
    }
}
