using GpuRouter.Failures;

namespace GpuRouter.Http;

/// <summary>
/// A fallback route's answer where a route group needs its own (the admin group keeps unknown
/// /admin paths behind its policy). Elsewhere no catch-all route is mapped: a request no route
/// matches gets the same answer from <see cref="EmptyErrorBodies"/>, so routing never has to
/// compute a catch-all's values for the requests it matched elsewhere.
/// </summary>
public static class HttpEndpoints
{
    /// <summary>A 404 naming the route, or a 405 with Allow when the path is known for another method.</summary>
    public static Task NotFound(HttpContext context, EndpointDataSource endpoints)
    {
        var path = context.Request.Path.Value ?? "";
        // A known route asked with the wrong method lands here too: say which method it takes.
        var allowed = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => string.Equals("/" + e.RoutePattern.RawText?.TrimStart('/'), path, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct().ToList();
        if (allowed.Count > 0)
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return ErrorResults.WriteAsync(context, new RouterError(405, "invalid_request_error", "method_not_allowed",
                $"{context.Request.Method} is not allowed on {path}; use {string.Join(" or ", allowed)}."));
        }
        return ErrorResults.WriteAsync(context, RouterError.From(Failure.NotFound($"No route {context.Request.Method} {path}.")));
    }
}
