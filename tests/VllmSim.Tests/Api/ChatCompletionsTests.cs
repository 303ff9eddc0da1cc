using System.Net;
using VllmSim.Engine;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class ChatCompletionsTests
{
    private static string Expected(string userContent, int tokens, int choice = 0, long? seed = null) =>
        TextGenerator.Text(TextGenerator.SeedOf($"<|user|>\n{userContent}\n<|assistant|>\n", seed), choice, tokens);

    [Fact]
    public async Task Chat_MaxTokens_ReturnsThatManyTokensWithFinishLength()
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hello there", "\"max_tokens\":5"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal(Sim.ModelName, body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(Expected("hello there", 5), choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(SimTokenizer.Count("<|user|>\nhello there\n<|assistant|>\n"), usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 5, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_NoMaxTokens_UsesDefaultLengthAndStops()
    {
        await using var sim = await Sim.StartAsync(o => o.DefaultMaxTokens = 7);

        var (_, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hi"));

        var choice = body.GetProperty("choices")[0];
        Assert.Equal(Expected("hi", 7), choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Chat_MaxCompletionTokens_WinsOverMaxTokens()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hi", "\"max_tokens\":9,\"max_completion_tokens\":3"));

        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_SamePromptTwice_SameTextAndDifferentPromptDiffers()
    {
        await using var sim = await Sim.StartAsync();

        var (_, first) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("same", "\"max_tokens\":12"));
        var (_, second) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("same", "\"max_tokens\":12"));
        var (_, other) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("other", "\"max_tokens\":12"));

        static string Text(System.Text.Json.JsonElement b) => b.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.Equal(Text(first), Text(second));
        Assert.NotEqual(Text(first), Text(other));
    }

    [Fact]
    public async Task Chat_NChoices_ReturnsDistinctIndexedChoices()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hi", "\"n\":3,\"max_tokens\":4"));

        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(Expected("hi", 4, choice: 2), choices[2].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(12, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_StopString_CutsTheTextAndFinishesWithStop()
    {
        await using var sim = await Sim.StartAsync();
        var full = Expected("hi", 30);
        var stopWord = full.Split(' ')[3];

        var (_, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hi", $"\"max_tokens\":30,\"stop\":[\"{stopWord}\"]"));

        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(full[..full.IndexOf(stopWord, StringComparison.Ordinal)], choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Chat_ContentParts_CountTheirText()
    {
        await using var sim = await Sim.StartAsync();
        const string parts = """{"messages":[{"role":"user","content":[{"type":"text","text":"hello "},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"there"}]}],"max_tokens":5}""";

        var (_, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", parts);

        Assert.Equal(Expected("hello there", 5), body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Chat_ServedModelAlias_EchoesTheNameAsked()
    {
        await using var sim = await Sim.StartAsync(o => o.ServedModelNames = ["a", "b"]);

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", """{"model":"b","messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("b", body.GetProperty("model").GetString());
        await Eventually.TrueAsync(() => sim.Stats.RequestsCompleted == 1, "the request counted as completed");
    }
}
