using GpuRouter.Configuration;
using GpuRouter.Hosting;
using GpuRouter.Instances;
using GpuRouter.Routing;

namespace Router.Tests.Routing;

/// <summary>Which model serves a name in each mode: the night fallback stands in only for day models of its own kind.</summary>
public sealed class ModelCatalogTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NightEnds = new(2026, 3, 10, 5, 0, 0, TimeSpan.Zero);

    private readonly ModelCatalog _catalog = Catalog(ConfigLoader.Load("""
        schedule: { nightFallback: qwen-72b }
        models:
          - { name: llama, mode: day, instances: [{ name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:1/" }] }
          - { name: bge-m3, kind: embedding, mode: day, instances: [{ name: bge_m3_1, gpus: [1], endpoint: "http://127.0.0.1:2/" }] }
          - { name: reranker, kind: rerank, mode: always, instances: [{ name: rerank_1, gpus: [1], endpoint: "http://127.0.0.1:3/" }] }
          - { name: qwen-72b, mode: night, instances: [{ name: qwen_72b_dual, gpus: [0, 1], endpoint: "http://127.0.0.1:4/" }] }
        """, "test.yaml"));

    private static ModelCatalog Catalog(RouterConfig config) =>
        new(new ModelsOptions(config.Models), config.Routing, config.Clients, TimeProvider.System);

    [Fact]
    public void Resolve_DayChatModelAtNight_IsServedByTheChatFallback()
    {
        var resolution = _catalog.Resolve("llama", ModelMode.Night, NightEnds, Now);

        Assert.Null(resolution.Error);
        Assert.True(resolution.IsFallback);
        Assert.Equal("qwen-72b", resolution.Model?.Name);
        Assert.Equal("llama", resolution.Requested?.Name);
    }

    [Fact]
    public void Resolve_DayEmbeddingModelAtNight_WithAChatFallback_Is503UntilTheNightEnds()
    {
        var resolution = _catalog.Resolve("bge-m3", ModelMode.Night, NightEnds, Now);

        Assert.Null(resolution.Model);
        var error = GpuRouter.Http.RouterError.From(Assert.IsType<GpuRouter.Failures.Failure>(resolution.Error));
        Assert.Equal(503, error.Status);
        Assert.Equal("model_not_served_now", error.Code);
        Assert.Equal(NightEnds - Now, error.RetryAfter);
        Assert.Contains("'bge-m3' is served in day mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("night mode until 2026-03-10 05:00 UTC", error.Message, StringComparison.Ordinal);
        // The embedding model's kind still decides the endpoint: the pipeline checks it before this refusal.
        Assert.Equal(ModelKind.Embedding, resolution.Requested?.Kind);
    }

    [Fact]
    public void Resolve_WhileAnOperatorHoldsNight_IsRetriedAfterFiveMinutesAndSaysWhoHoldsIt()
    {
        var error = _catalog.Resolve("bge-m3", ModelMode.Night, nextSwitch: null, Now, heldByOperator: true).Error;

        Assert.NotNull(error);
        Assert.Equal(TimeSpan.FromSeconds(300), error.RetryAfter);
        Assert.Contains("an operator holds the router in night mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NightModelByDay_Is503UntilTheNightStarts()
    {
        var nightStarts = Now.AddHours(20);
        var error = _catalog.Resolve("qwen-72b", ModelMode.Day, nightStarts, Now).Error;

        Assert.Equal(TimeSpan.FromHours(20), error?.RetryAfter);
        Assert.Contains("served in night mode; the router is in day mode until", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_AtNight_ListOnlyDayModelsAFallbackOfTheirKindServes()
    {
        Assert.Equal(["llama", "reranker", "qwen-72b"], _catalog.Names(ModelMode.Night));
        Assert.Equal(["llama", "bge-m3", "reranker"], _catalog.Names(ModelMode.Day));
    }

    [Fact]
    public void Resolve_UnknownModel_Is404NamingWhatServesNow()
    {
        var error = _catalog.Resolve("gpt-4", ModelMode.Night, NightEnds, Now).Error;

        Assert.NotNull(error);
        Assert.Equal(404, GpuRouter.Http.RouterError.From(error).Status);
        Assert.Contains("Available now: llama, reranker, qwen-72b.", error?.Message, StringComparison.Ordinal);
    }
}
