using System.Net;
using System.Text.Json;

namespace Router.Tests.Requests;

public class ChatProxyTests : IAsyncLifetime
{
    private readonly Sims _sims = new();
    private RouterFactory? _router;
    private VllmSim.SimServer _gpu0 = null!;
    private VllmSim.SimServer _gpu1 = null!;

    public async Task InitializeAsync()
    {
        _gpu0 = await _sims.StartAsync("llama", o => { o.MaxModelLen = 32768; o.ItlMs = 20; });
        _gpu1 = await _sims.StartAsync("llama", o => { o.MaxModelLen = 8192; o.ItlMs = 20; });
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            routing: { longContextTokens: 4096, queueTimeout: 5s, streamIdleTimeout: 5s }
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "{{_gpu0.BaseAddress}}", maxModelLen: 32768, maxConcurrent: 3 }
                  - { name: llama_1, gpus: [1], endpoint: "{{_gpu1.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 6 }
            """);
    }

    public async Task DisposeAsync()
    {
        _router?.Dispose();
        await _sims.DisposeAsync();
    }

    [Fact]
    public async Task Chat_Interactive_GoesToGpu0WithRouterHeaders()
    {
        using var client = _router!.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama", "Tell me about GPUs"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("llama_0", response.Header("X-Router-Instance"));
        Assert.Equal("0", response.Header("X-Router-Gpu"));
        Assert.True(int.TryParse(response.Header("X-Router-Queue-Ms"), out _));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        // The simulator counts a request once its last write returned, which may be after the client has read it.
        await Eventually.TrueAsync(() => _gpu0.Stats.RequestsCompleted == 1, "the simulator on GPU 0 recorded the request");
        Assert.Equal(0, _gpu1.Stats.RequestsStarted);
    }

    [Fact]
    public async Task Chat_Batch_GoesToGpu1()
    {
        using var client = _router!.Client(TestKeys.N8n);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("llama_1", response.Header("X-Router-Instance"));
        Assert.Equal("1", response.Header("X-Router-Gpu"));
    }

    [Fact]
    public async Task Chat_BatchWithLongPrompt_GoesToLongContextGpu()
    {
        using var client = _router!.Client(TestKeys.N8n);
        var prompt = string.Join(' ', Enumerable.Repeat("token", 6000));
        using var response = await client.PostChatAsync(Http.Chat("llama", prompt, maxTokens: 16));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("llama_0", response.Header("X-Router-Instance"));
    }

    [Fact]
    public async Task Chat_PromptBeyondEveryContext_Is400BeforeAnyBackend()
    {
        using var client = _router!.Client(TestKeys.N8n);
        var prompt = string.Join(' ', Enumerable.Repeat("overflowing", 40_000));
        using var response = await client.PostChatAsync(Http.Chat("llama", prompt));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Http.ErrorAsync(response);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(0, _gpu0.Stats.RequestsStarted + _gpu1.Stats.RequestsStarted);
    }

    [Fact]
    public async Task Stream_FirstChunkArrives_BeforeTheBackendFinishes()
    {
        using var client = _router!.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama", "stream please", stream: true, maxTokens: 2000));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", response.Header("X-Accel-Buffering"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        Assert.StartsWith("data: {", first, StringComparison.Ordinal);
        // 2000 tokens at 20 ms take 40 s: a proxy that buffered would have shown nothing yet.
        Assert.Equal(1, _gpu0.Stats.Running);
        Assert.Equal(0, _gpu0.Stats.RequestsCompleted);
    }

    [Fact]
    public async Task Stream_ClientDisconnects_UpstreamIsCancelled()
    {
        using var client = _router!.Client(TestKeys.WebUi);
        var response = await client.PostChatAsync(Http.Chat("llama", "a long answer", stream: true, maxTokens: 2000));
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data:", await reader.ReadLineAsync(), StringComparison.Ordinal);
        response.Dispose();
        await Eventually.TrueAsync(() => _gpu0.Stats.RequestsCancelled == 1, "the simulator saw the cancellation");
        Assert.Equal(0, _gpu0.Stats.Running);
    }

    [Fact]
    public async Task Stream_WithIncludeUsage_EndsWithUsageChunk()
    {
        using var client = _router!.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama", "count my tokens", stream: true, maxTokens: 5, usage: true));
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        using var usage = JsonDocument.Parse(events[^2]["data: ".Length..]);
        Assert.Equal(5, usage.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Models_ListsConfiguredModels()
    {
        using var client = _router!.Client(TestKeys.WebUi);
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/v1/models"));
        var model = Assert.Single(doc.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("llama", model.GetProperty("id").GetString());
        Assert.Equal(32768, model.GetProperty("max_model_len").GetInt32());
    }
}
