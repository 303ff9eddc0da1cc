using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Router.Tests.Compatibility;

/// <summary>The router through OpenAI's own .NET client, as users' tools talk to it.</summary>
public class OpenAiClientTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private RouterFactory? _router;
    private OpenAIClient _client = null!;

    public async Task InitializeAsync()
    {
        var llama = await _sims.StartAsync("llama", o => o.ItlMs = 5);
        var bge = await _sims.StartAsync("bge-m3", o => o.EmbeddingDim = 64);
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{llama.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 4 }] }
              - { name: bge-m3, kind: embedding, instances: [{ name: bge_m3_1, gpus: [1], endpoint: "{{bge.BaseAddress}}", maxConcurrent: 8 }] }
            """);
        var baseAddress = _router.Start();
        _client = new OpenAIClient(new ApiKeyCredential(TestKeys.WebUi), new OpenAIClientOptions { Endpoint = new Uri(baseAddress, "/v1") });
    }

    public async Task DisposeAsync()
    {
        _router?.Dispose();
        await _sims.DisposeAsync();
    }

    [Fact]
    public async Task CompleteChat_ReturnsTheBackendsAnswerAndUsage()
    {
        ChatCompletion completion = await _client.GetChatClient("llama").CompleteChatAsync(
            [new SystemChatMessage("You are terse."), new UserChatMessage("Say something")],
            new ChatCompletionOptions { MaxOutputTokenCount = 8 });
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(8, completion.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChatStreaming_DeliversEveryUpdate()
    {
        var text = new System.Text.StringBuilder();
        var updates = 0;
        await foreach (var update in _client.GetChatClient("llama").CompleteChatStreamingAsync(
            [new UserChatMessage("Stream something")], new ChatCompletionOptions { MaxOutputTokenCount = 12 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        }
        Assert.True(updates >= 12);
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
    }

    [Fact]
    public async Task GenerateEmbeddings_ReturnsOneVectorPerInput()
    {
        var result = await _client.GetEmbeddingClient("bge-m3").GenerateEmbeddingsAsync(["first", "second"]);
        Assert.Equal(2, result.Value.Count);
        Assert.Equal(64, result.Value[0].ToFloats().Length);
    }

    [Fact]
    public async Task UnknownModel_SurfacesAs404WithTheRoutersMessage()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => _client.GetChatClient("gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, e.Status);
        Assert.Contains("llama", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_SurfacesAs401()
    {
        var client = new OpenAIClient(new ApiKeyCredential("nope"), new OpenAIClientOptions { Endpoint = new Uri(_router!.Start(), "/v1") });
        var e = await Assert.ThrowsAsync<ClientResultException>(() => client.GetChatClient("llama").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, e.Status);
    }

    [Fact]
    public async Task ListModels_ShowsWhatTheModeServes()
    {
        var models = await _client.GetOpenAIModelClient().GetModelsAsync();
        Assert.Equal(["llama", "bge-m3"], models.Value.Select(m => m.Id));
    }
}
