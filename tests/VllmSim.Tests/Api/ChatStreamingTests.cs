using System.Diagnostics;
using System.Net;
using VllmSim.Engine;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class ChatStreamingTests
{
    [Fact]
    public async Task ChatStream_Plain_SendsRoleFirstThenTokensThenDone()
    {
        await using var sim = await Sim.StartAsync();
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("stream me", "\"max_tokens\":4,\"stream\":true"));
        var events = await Sse.ReadAllAsync(response, clock);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(events[^1].IsDone);
        var chunks = events.SkipLast(1).Select(e => e.Json).ToList();
        Assert.Equal(5, chunks.Count);
        Assert.All(chunks, c =>
        {
            Assert.StartsWith("chatcmpl-", c.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal(Sim.ModelName, c.GetProperty("model").GetString());
        });
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        var first = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        var text = string.Concat(chunks.Skip(1).Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal(TextGenerator.Text(TextGenerator.SeedOf("<|user|>\nstream me\n<|assistant|>\n", null), 0, 4), text);
        Assert.Equal("length", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(System.Text.Json.JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task ChatStream_IncludeUsage_AddsUsageChunkWithEmptyChoicesBeforeDone()
    {
        await using var sim = await Sim.StartAsync();
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions",
            Http.Chat("usage please", "\"max_tokens\":3,\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        var events = await Sse.ReadAllAsync(response, clock);

        Assert.True(events[^1].IsDone);
        var usageChunk = events[^2].Json;
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(3, usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(SimTokenizer.Count("<|user|>\nusage please\n<|assistant|>\n"), usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.All(events.SkipLast(2), e => Assert.False(e.Json.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task ChatStream_NChoices_EachChoiceGetsRoleTokensAndFinish()
    {
        await using var sim = await Sim.StartAsync();
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("n", "\"max_tokens\":2,\"stream\":true,\"n\":2"));
        var chunks = (await Sse.ReadAllAsync(response, clock)).Where(e => !e.IsDone).Select(e => e.Json.GetProperty("choices")[0]).ToList();

        foreach (var index in new[] { 0, 1 })
        {
            var mine = chunks.Where(c => c.GetProperty("index").GetInt32() == index).ToList();
            Assert.Equal(3, mine.Count);
            Assert.Equal("assistant", mine[0].GetProperty("delta").GetProperty("role").GetString());
            Assert.Equal("length", mine[^1].GetProperty("finish_reason").GetString());
        }
    }
}
