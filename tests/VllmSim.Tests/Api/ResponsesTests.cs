using System.Diagnostics;
using System.Net;
using VllmSim.Engine;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class ResponsesTests
{
    [Fact]
    public async Task Responses_StringInput_ReturnsCompletedResponseWithOutputText()
    {
        await using var sim = await Sim.StartAsync(o => o.DefaultMaxTokens = 5);

        var (status, body) = await sim.Client.PostJsonAsync("/v1/responses", """{"model":"test-model","input":"Summarize this"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("resp_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("response", body.GetProperty("object").GetString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var message = body.GetProperty("output")[0];
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        var part = message.GetProperty("content")[0];
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal(TextGenerator.Text(TextGenerator.SeedOf("<|user|>\nSummarize this\n<|assistant|>\n", null), 0, 5), part.GetProperty("text").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_MaxOutputTokensReached_IsIncomplete()
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/responses",
            """{"input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]}],"instructions":"be brief","max_output_tokens":3}""");

        Assert.Equal("incomplete", body.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", body.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal("be brief", body.GetProperty("instructions").GetString());
    }

    [Fact]
    public async Task ResponsesStream_Plain_SendsTheSdkEventSequence()
    {
        await using var sim = await Sim.StartAsync();
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/responses", """{"input":"stream","stream":true,"max_output_tokens":3}""");
        var events = await Sse.ReadAllAsync(response, clock);

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
             "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
             "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(e.Type, e.Json.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
        var deltas = string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString()));
        Assert.Equal(deltas, events.Single(e => e.Type == "response.output_text.done").Json.GetProperty("text").GetString());
        var completed = events[^1].Json.GetProperty("response");
        Assert.Equal(deltas, completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(3, completed.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }
}
