using System.Net;
using System.Text.Json;

namespace Router.Tests.Requests;

/// <summary>Every OpenAI endpoint the router serves, end to end through the router to simulators.</summary>
public class EndpointProxyTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private RouterFactory? _router;
    private VllmSim.SimServer _chat = null!;
    private VllmSim.SimServer _reranker = null!;

    public async Task InitializeAsync()
    {
        _chat = await _sims.StartAsync("llama");
        var embedder = await _sims.StartAsync("bge-m3", o => o.EmbeddingDim = 32);
        _reranker = await _sims.StartAsync("bge-reranker");
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - { name: llama, instances: [{ name: llama_1, gpus: [1], endpoint: "{{_chat.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 4 }] }
              - { name: bge-m3, kind: embedding, instances: [{ name: bge_m3_1, gpus: [1], endpoint: "{{embedder.BaseAddress}}", maxConcurrent: 8 }] }
              - { name: bge-reranker, kind: rerank, instances: [{ name: reranker_1, gpus: [1], endpoint: "{{_reranker.BaseAddress}}", maxConcurrent: 8 }] }
            """);
    }

    public async Task DisposeAsync()
    {
        _router?.Dispose();
        await _sims.DisposeAsync();
    }

    private async Task<JsonDocument> PostAsync(string path, string body, string instance)
    {
        using var client = _router!.Client(TestKeys.N8n);
        using var response = await client.PostAsync(path, Http.Json(body));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(instance, response.Header("X-Router-Instance"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Completions_PromptString_ReturnsTextCompletion()
    {
        using var doc = await PostAsync("/v1/completions", """{"model":"llama","prompt":"Once upon a time","max_tokens":5}""", "llama_1");
        Assert.Equal("text_completion", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal(5, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_AsN8nSendsThem_PlainAndStreamed()
    {
        using var doc = await PostAsync("/v1/responses", """{"model":"llama","input":"Summarise the news","max_output_tokens":6}""", "llama_1");
        Assert.Equal("response", doc.RootElement.GetProperty("object").GetString());

        using var client = _router!.Client(TestKeys.N8n);
        using var streamed = await client.PostAsync("/v1/responses", Http.Json("""{"model":"llama","input":[{"role":"user","content":"hi"}],"stream":true,"max_output_tokens":4}"""));
        await streamed.ExpectAsync(HttpStatusCode.OK);
        var text = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("response.output_text.delta", text, StringComparison.Ordinal);
        Assert.Contains("response.completed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_ListInput_OneVectorEach()
    {
        using var doc = await PostAsync("/v1/embeddings", """{"model":"bge-m3","input":["a","b","c"]}""", "bge_m3_1");
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        Assert.Equal(32, data[0].GetProperty("embedding").GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/rerank")]
    [InlineData("/rerank")]
    public async Task Rerank_ReturnsScoredDocuments(string path)
    {
        using var doc = await PostAsync(path, """{"model":"bge-reranker","query":"gpu","documents":["a gpu box","a cat","gpus and vram"]}""", "reranker_1");
        Assert.Equal(3, doc.RootElement.GetProperty("results").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("results")[0].GetProperty("relevance_score").GetDouble() >= doc.RootElement.GetProperty("results")[2].GetProperty("relevance_score").GetDouble());
    }

    [Fact]
    public async Task ChatModelOnRerankEndpoint_Is400()
    {
        using var client = _router!.Client(TestKeys.N8n);
        using var response = await client.PostAsync("/v1/rerank", Http.Json("""{"model":"llama","query":"q","documents":["d"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("wrong_endpoint", (await Http.ErrorAsync(response)).GetProperty("code").GetString());
    }
}
