using System.Net;
using VllmSim.Engine;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class TokenizeTests
{
    [Fact]
    public async Task Tokenize_Prompt_ReturnsCountTokensAndMaxModelLen()
    {
        await using var sim = await Sim.StartAsync(o => o.MaxModelLen = 2048);

        var (status, body) = await sim.Client.PostJsonAsync("/tokenize", """{"model":"test-model","prompt":"Hello, world!"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(SimTokenizer.Count("Hello, world!"), body.GetProperty("count").GetInt32());
        Assert.Equal(body.GetProperty("count").GetInt32(), body.GetProperty("tokens").GetArrayLength());
        Assert.Equal(2048, body.GetProperty("max_model_len").GetInt32());
    }

    [Fact]
    public async Task Tokenize_ThenDetokenize_GivesThePromptBack()
    {
        await using var sim = await Sim.StartAsync();

        var (_, tokenized) = await sim.Client.PostJsonAsync("/tokenize", """{"prompt":"Grüße aus Köln, 2026!","return_token_strs":true}""");
        var (status, detokenized) = await sim.Client.PostJsonAsync("/detokenize", $$"""{"tokens":{{tokenized.GetProperty("tokens").GetRawText()}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Grüße aus Köln, 2026!", detokenized.GetProperty("prompt").GetString());
        Assert.Equal(tokenized.GetProperty("count").GetInt32(), tokenized.GetProperty("token_strs").GetArrayLength());
    }

    [Fact]
    public async Task Tokenize_Messages_CountsWhatAChatCounts()
    {
        await using var sim = await Sim.StartAsync();

        var (_, tokenized) = await sim.Client.PostJsonAsync("/tokenize", Http.Chat("count me"));
        var (_, chat) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("count me", "\"max_tokens\":1"));

        Assert.Equal(chat.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), tokenized.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Detokenize_UnknownId_Returns400()
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync("/detokenize", """{"tokens":[1]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("out of vocabulary", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
