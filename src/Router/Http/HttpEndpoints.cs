using GpuRouter.Failures;

namespace GpuRouter.Http;

public static class HttpEndpoints
{
    /// <summary>Unknown routes get an OpenAI-shaped 404 instead of an empty one.</summary>
    public static IEndpointRouteBuilder MapNotFound(this IEndpointRouteBuilder app)
    {
        app.MapFallback(NotFound);
        return app;
    }

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

    /// <summary>
    /// Statuses the framework answers with an empty body (405 for a wrong method, 431 for huge
    /// headers, ...) get an OpenAI-shaped body too, so clients always find error.message.
    /// </summary>
    public static IApplicationBuilder UseOpenAiStatusPages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var error = status switch
            {
                StatusCodes.Status405MethodNotAllowed => new RouterError(405, "invalid_request_error", "method_not_allowed",
                    $"{http.Request.Method} is not allowed on {http.Request.Path}."),
                _ => new RouterError(status, status >= 500 ? "server_error" : "invalid_request_error", $"http_{status}",
                    $"The request failed with status {status}."),
            };
            return ErrorResults.WriteAsync(http, error);
        });
}
