using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VllmSim.Hosting;

/// <summary>
/// CORS as vLLM answers it by default: its FastAPI app runs Starlette's CORSMiddleware with
/// --allowed-origins, --allowed-methods and --allowed-headers all ["*"] and no credentials. A
/// preflight is a 200 "OK" (text/plain) allowing any origin, every method and the headers asked
/// for, cached 600 s; any other request with an Origin gets "Access-Control-Allow-Origin: *"
/// (the origin itself, with Vary: Origin, when it carries a cookie). Written by hand because
/// ASP.NET Core's CORS middleware answers preflights differently (204, no body).
/// </summary>
internal static class VllmCors
{
    private static readonly string[] AllMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

    public static void UseVllmCors(this WebApplication app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            await next(context);
            return;
        }
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            await PreflightAsync(context);
            return;
        }
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (request.Headers.ContainsKey("Cookie"))
            {
                headers.AccessControlAllowOrigin = origin;
                headers.Vary = "Origin";
            }
            else
            {
                headers.AccessControlAllowOrigin = "*";
            }
            return Task.CompletedTask;
        });
        await next(context);
    });

    private static Task PreflightAsync(HttpContext context)
    {
        var request = context.Request.Headers;
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = string.Join(", ", AllMethods);
        headers.AccessControlMaxAge = "600";
        if (request.ContainsKey("Access-Control-Request-Headers"))
        {
            headers.AccessControlAllowHeaders = request.AccessControlRequestHeaders;
        }
        var allowed = AllMethods.Contains(request.AccessControlRequestMethod.ToString(), StringComparer.Ordinal);
        context.Response.StatusCode = allowed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(allowed ? "OK" : "Disallowed CORS method", context.RequestAborted);
    }
}
