using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VllmSim.Endpoints;

namespace VllmSim.Hosting;

/// <summary>vLLM's OpenAI server routes. Handlers are plain RequestDelegates: no binding, no reflection.</summary>
internal static class SimRoutes
{
    public static void MapSimEndpoints(this WebApplication app)
    {
        var services = app.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("vllm-sim");
        var info = services.GetRequiredService<InfoEndpoints>();
        var chat = services.GetRequiredService<ChatEndpoint>();
        var completions = services.GetRequiredService<CompletionsEndpoint>();
        var responses = services.GetRequiredService<ResponsesEndpoint>();
        var embeddings = services.GetRequiredService<EmbeddingsEndpoint>();
        var rerank = services.GetRequiredService<RerankEndpoint>();
        var tokenize = services.GetRequiredService<TokenizeEndpoints>();
        var sleep = services.GetRequiredService<SleepEndpoints>();
        var dev = services.GetRequiredService<DevEndpoints>();
        var options = services.GetRequiredService<SimOptions>();

        void Get(string pattern, RequestDelegate handler) => app.MapGet(pattern, EndpointGuard.Wrap(handler, logger));
        void Post(string pattern, RequestDelegate handler) => app.MapPost(pattern, EndpointGuard.Wrap(handler, logger));

        Get("/health", InfoEndpoints.HealthAsync);
        Get("/version", InfoEndpoints.VersionAsync);
        Get("/v1/models", info.ModelsAsync);
        Get("/metrics", info.MetricsAsync);
        Post("/v1/chat/completions", chat.HandleAsync);
        Post("/v1/completions", completions.HandleAsync);
        Post("/v1/responses", responses.HandleAsync);
        Post("/v1/embeddings", embeddings.HandleAsync);
        Post("/rerank", rerank.HandleAsync);
        Post("/v1/rerank", rerank.HandleAsync);
        Post("/v2/rerank", rerank.HandleAsync);
        Post("/tokenize", tokenize.TokenizeAsync);
        Post("/detokenize", tokenize.DetokenizeAsync);
        // vLLM mounts its development routes only with VLLM_SERVER_DEV_MODE=1: 404 otherwise. The
        // sleep routes need --enable-sleep-mode as well (vLLM's would fail inside the engine).
        if (options.ServerDevMode && options.EnableSleepMode)
        {
            Post("/sleep", sleep.SleepAsync);
            Post("/wake_up", sleep.WakeUpAsync);
            Get("/is_sleeping", sleep.IsSleepingAsync);
        }
        if (options.ServerDevMode)
        {
            Post("/collective_rpc", dev.CollectiveRpcAsync);
            Post("/reset_prefix_cache", dev.ResetPrefixCacheAsync);
        }
    }
}
