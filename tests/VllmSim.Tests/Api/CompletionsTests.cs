using System.Diagnostics;
using System.Net;
using VllmSim.Engine;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class CompletionsTests
{
    [Fact]
    public async Task Completions_PromptString_ReturnsTextCompletion()
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/completions", """{"model":"test-model","prompt":"Once upon","max_tokens":6}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(TextGenerator.Text(TextGenerator.SeedOf("Once upon", null), 0, 6), choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(SimTokenizer.Count("Once upon"), body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_PromptList_OneChoicePerPromptAndN()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/completions", """{"prompt":["a","b"],"n":2,"max_tokens":2}""");

        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(TextGenerator.Text(TextGenerator.SeedOf("b", null), 1, 2), choices[3].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Completions_TokenIds_CountsThemAsPromptTokens()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/completions", """{"prompt":[1,2,3,4,5],"max_tokens":1}""");

        Assert.Equal(5, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task CompletionsStream_IncludeUsage_StreamsTextChunksUsageAndDone()
    {
        await using var sim = await Sim.StartAsync();
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/completions",
            """{"prompt":"p","max_tokens":3,"stream":true,"stream_options":{"include_usage":true}}""");
        var events = await Sse.ReadAllAsync(response, clock);

        Assert.True(events[^1].IsDone);
        var chunks = events.SkipLast(2).Select(e => e.Json).ToList();
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        Assert.Equal(TextGenerator.Text(TextGenerator.SeedOf("p", null), 0, 3),
            string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        Assert.Equal(0, events[^2].Json.GetProperty("choices").GetArrayLength());
        Assert.Equal(3, events[^2].Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
