namespace GpuRouter.Http;

public static class HttpEndpoints
{
    /// <summary>Unknown routes get an OpenAI-shaped 404 instead of an empty one.</summary>
    public static IEndpointRouteBuilder MapNotFound(this IEndpointRouteBuilder app)
    {
        app.MapFallback((HttpContext context) => ErrorResults.WriteAsync(context,
            RouterError.NotFound($"No route {context.Request.Method} {context.Request.Path}.")));
        return app;
    }
}
