using GpuRouter.Routing;
using GpuRouter.Schedule;
using GpuRouter.Security;

namespace GpuRouter.Requests;

public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAi(this IEndpointRouteBuilder app)
    {
        Map(app, "/v1/chat/completions", EndpointKind.ChatCompletions);
        Map(app, "/v1/completions", EndpointKind.Completions);
        Map(app, "/v1/responses", EndpointKind.Responses);
        Map(app, "/v1/embeddings", EndpointKind.Embeddings);
        Map(app, "/v1/rerank", EndpointKind.Rerank);
        Map(app, "/rerank", EndpointKind.Rerank);
        app.MapGet("/v1/models", (HttpContext context, ModelCatalog catalog, IModeState mode) =>
        {
            context.Response.ContentType = "application/json";
            // A key with a models scope sees only what it may use.
            return context.Response.Body.WriteAsync(catalog.ListingFor(mode.Mode, SecurityMiddleware.Identity(context).Name)).AsTask();
        });
        return app;
    }

    // The pipeline is a singleton taken once here: a handler parameter would be resolved from
    // RequestServices, which creates a DI scope (and its dictionary) for every request.
    private static void Map(IEndpointRouteBuilder app, string path, EndpointKind kind)
    {
        var pipeline = app.ServiceProvider.GetRequiredService<RequestPipeline>();
        app.MapPost(path, (HttpContext context) => pipeline.HandleAsync(context, kind));
    }
}
