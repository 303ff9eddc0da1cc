using System.Net;
using System.Text.Json;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class ErrorTests
{
    private static void AssertError(JsonElement body, int code, string type)
    {
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.True(error.TryGetProperty("param", out _));
    }

    [Fact]
    public async Task Chat_PromptPlusMaxTokensOverContext_Returns400WithVllmWording()
    {
        await using var sim = await Sim.StartAsync(o => o.MaxModelLen = 100);
        var promptTokens = VllmSim.Engine.SimTokenizer.Count("<|user|>\nhello\n<|assistant|>\n");

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hello", "\"max_tokens\":95"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, 400, "BadRequestError");
        Assert.Equal(
            $"This model's maximum context length is 100 tokens. However, you requested {promptTokens + 95} tokens ({promptTokens} in the messages, 95 in the completion). Please reduce the length of the messages or completion.",
            body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, sim.Stats.RequestsStarted);
        Assert.Equal(1, sim.Stats.RequestsRejected);
    }

    [Fact]
    public async Task Chat_PromptAloneOverContext_Returns400NamingInputTokens()
    {
        await using var sim = await Sim.StartAsync(o => o.MaxModelLen = 10);

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat(string.Concat(Enumerable.Repeat("word ", 20))));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("This model's maximum context length is 10 tokens. However, your request has ",
            body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_PromptNearContextWithoutMaxTokens_ShortensOutputToFit()
    {
        var promptTokens = VllmSim.Engine.SimTokenizer.Count("<|user|>\nhi\n<|assistant|>\n");
        await using var sim = await Sim.StartAsync(o => o.MaxModelLen = promptTokens + 3);

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hi"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Embeddings_InputOverContext_Returns400()
    {
        await using var sim = await Sim.StartAsync(o => o.MaxModelLen = 5);

        var (status, body) = await sim.Client.PostJsonAsync("/v1/embeddings", """{"input":"this input is far too long for five tokens"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("maximum context length is 5 tokens", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"nope","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("/v1/completions", """{"model":"nope","prompt":"x"}""")]
    [InlineData("/v1/responses", """{"model":"nope","input":"x"}""")]
    [InlineData("/v1/embeddings", """{"model":"nope","input":"x"}""")]
    [InlineData("/v1/rerank", """{"model":"nope","query":"q","documents":["d"]}""")]
    [InlineData("/tokenize", """{"model":"nope","prompt":"x"}""")]
    public async Task AnyEndpoint_UnknownModel_Returns404NamingTheModel(string path, string json)
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync(path, json);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertError(body, 404, "NotFoundError");
        Assert.Equal("The model `nope` does not exist.", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Chat_StreamOptionsWithoutStream_Returns400()
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("x", "\"stream_options\":{\"include_usage\":true}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Stream options can only be defined when `stream=True`.", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/v1/chat/completions", "{bad json")]
    [InlineData("/v1/chat/completions", "")]
    [InlineData("/v1/chat/completions", "null")]
    [InlineData("/v1/chat/completions", "[1,2,3]")]
    [InlineData("/v1/chat/completions", "\"a string\"")]
    [InlineData("/v1/chat/completions", "42")]
    [InlineData("/v1/chat/completions", """{"messages":"hi"}""")]
    [InlineData("/v1/chat/completions", """{"messages":[]}""")]
    [InlineData("/v1/chat/completions", """{"messages":[1]}""")]
    [InlineData("/v1/chat/completions", """{"messages":[null]}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"content":"no role"}]}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":5}]}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":[5]}]}""")]
    [InlineData("/v1/chat/completions", """{"model":5,"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":"10"}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":-1}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":0}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":1e30}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":99999999999999}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":2147483647}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"max_tokens":1.5}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"n":0}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"n":100000}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"stream":"yes"}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"stop":5}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"stop":[1]}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"seed":"x"}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"x"}],"stream_options":[]}""")]
    [InlineData("/v1/completions", """{}""")]
    [InlineData("/v1/completions", """{"prompt":5}""")]
    [InlineData("/v1/completions", """{"prompt":[]}""")]
    [InlineData("/v1/completions", """{"prompt":[[]]}""")]
    [InlineData("/v1/completions", """{"prompt":[1.5]}""")]
    [InlineData("/v1/completions", """{"prompt":[-1]}""")]
    [InlineData("/v1/completions", """{"prompt":[{}]}""")]
    [InlineData("/v1/completions", """{"prompt":"x","max_tokens":-5}""")]
    [InlineData("/v1/completions", """{"prompt":"x","n":2000}""")]
    [InlineData("/v1/responses", """{}""")]
    [InlineData("/v1/responses", """{"input":5}""")]
    [InlineData("/v1/responses", """{"input":[]}""")]
    [InlineData("/v1/responses", """{"input":[5]}""")]
    [InlineData("/v1/responses", """{"input":"x","max_output_tokens":-1}""")]
    [InlineData("/v1/embeddings", """{}""")]
    [InlineData("/v1/embeddings", """{"input":5}""")]
    [InlineData("/v1/embeddings", """{"input":[]}""")]
    [InlineData("/v1/embeddings", """{"input":[true]}""")]
    [InlineData("/v1/embeddings", """{"input":"x","encoding_format":"hex"}""")]
    [InlineData("/v1/embeddings", """{"input":"x","dimensions":0}""")]
    [InlineData("/v1/embeddings", """{"input":"x","dimensions":999999}""")]
    [InlineData("/v1/rerank", """{"documents":["d"]}""")]
    [InlineData("/v1/rerank", """{"query":"q","documents":"d"}""")]
    [InlineData("/v1/rerank", """{"query":"q","documents":[5]}""")]
    [InlineData("/v1/rerank", """{"query":7,"documents":["d"]}""")]
    [InlineData("/tokenize", """{}""")]
    [InlineData("/tokenize", """{"prompt":"x","messages":[{"role":"user","content":"y"}]}""")]
    [InlineData("/detokenize", """{}""")]
    [InlineData("/detokenize", """{"tokens":["a"]}""")]
    [InlineData("/detokenize", """{"tokens":[1e30]}""")]
    [InlineData("/detokenize", """{"tokens":[-7]}""")]
    public async Task AnyEndpoint_HostileInput_Returns400NeverA500(string path, string body)
    {
        await using var sim = await Sim.StartAsync();

        var (status, text, contentType) = await sim.Client.PostRawAsync(path, body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{path} {body} -> {(int)status} {text}");
        Assert.Equal("application/json", contentType?.MediaType);
        AssertError(JsonDocument.Parse(text).RootElement, 400, "BadRequestError");
        Assert.Equal(0, sim.Stats.RequestsStarted);
    }

    [Fact]
    public async Task UnknownPath_Returns404WithFastApiDetail()
    {
        await using var sim = await Sim.StartAsync();

        using var response = await sim.Client.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"detail":"Not Found"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chat_WrongMethod_Returns405NotA500()
    {
        await using var sim = await Sim.StartAsync();

        using var response = await sim.Client.GetAsync("/v1/chat/completions");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("""{"detail":"Method Not Allowed"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chat_DeeplyNestedJson_Returns400()
    {
        await using var sim = await Sim.StartAsync();
        var nested = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"extra\":" + new string('[', 5000) + new string(']', 5000) + "}";

        var (status, _, _) = await sim.Client.PostRawAsync("/v1/chat/completions", nested);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
