namespace GpuRouter.Ui;

/// <summary>
/// GET /ui, the operator's live status page, and its script and style sheet. No key is needed to
/// load it (the network allowlist still applies); its actions send the admin key the operator
/// types in. The page asks the router's API itself, relative to its own address.
/// </summary>
public static class UiEndpoints
{
    // Scripts, styles and API calls from the router only: an injected tag could neither run nor
    // load anything even if a string ever reached the page as markup.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui", (HttpContext context, UiAssets assets) =>
            // "/ui/" would resolve the page's relative links under /ui/ui/: send it to "/ui".
            context.Request.Path.Value!.EndsWith('/') ? Redirect(context) : Serve(context, assets["index.html"]));
        app.MapGet("/ui/app.css", (HttpContext context, UiAssets assets) => Serve(context, assets["app.css"]));
        app.MapGet("/ui/app.js", (HttpContext context, UiAssets assets) => Serve(context, assets["app.js"]));
        return app;
    }

    private static Task Redirect(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        context.Response.Headers.Location = "../ui";
        return Task.CompletedTask;
    }

    private static Task Serve(HttpContext context, UiAsset asset)
    {
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        // Always asked again, answered 304 while the router runs the same build.
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return response.Body.WriteAsync(asset.Content).AsTask();
    }
}
