using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Tools;

/// <summary>/v1/responses with function tools, as vLLM 0.28 answers non-harmony models.</summary>
public sealed class ResponsesToolTests
{
    private const string Tools = """
        "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
                 {"type":"web_search_preview"}]
        """;

    [Fact]
    public async Task Plain_ReturnsAFunctionCallItem_EchoingTheTools()
    {
        await using var sim = await ToolCallTests.StartWithTools();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/responses", $$"""{"input":"weather in Lima?",{{Tools}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var item = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", item.GetProperty("type").GetString());
        Assert.StartsWith("fc_", item.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("chatcmpl-tool-", item.GetProperty("call_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("get_weather", item.GetProperty("name").GetString());
        Assert.Equal("""{"city": "sim city"}""", item.GetProperty("arguments").GetString());
        Assert.Equal(2, body.GetProperty("tools").GetArrayLength());
    }

    [Fact]
    public async Task FunctionCallOutput_IsAnsweredWithText()
    {
        await using var sim = await ToolCallTests.StartWithTools();
        var input = """
            [{"role":"user","content":"weather in Lima?"},
             {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\": \"Lima\"}"},
             {"type":"function_call_output","call_id":"call_1","output":"sunny, 24 C"}]
            """;

        var (status, body) = await sim.Client.PostJsonAsync("/v1/responses", $$"""{"input":{{input}},{{Tools}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var item = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("content")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public async Task AutoWithoutTheFlags_IsNotRefused_TheCallArrivesAsPlainText()
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/responses", $$"""{"input":"weather in Lima?",{{Tools}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var item = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.Equal("""{"name": "get_weather", "arguments": {"city": "sim city"}}""", item.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Stream_SendsFunctionCallEvents_ThenTheCompletedResponse()
    {
        await using var sim = await ToolCallTests.StartWithTools("hermes");
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/responses", $$"""{"input":"weather in Lima?","stream":true,{{Tools}}}""");
        var events = await Sse.ReadAllAsync(response, clock);

        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added"], types.Take(3));
        Assert.Equal(["response.function_call_arguments.done", "response.output_item.done", "response.completed"], types.TakeLast(3));
        Assert.All(types.Skip(3).SkipLast(3), t => Assert.Equal("response.function_call_arguments.delta", t));
        var added = events[2].Json.GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("in_progress", added.GetProperty("status").GetString());
        Assert.Equal("get_weather", added.GetProperty("name").GetString());
        var arguments = string.Concat(events.Where(e => e.Type == "response.function_call_arguments.delta").Select(e => e.Json.GetProperty("delta").GetString()));
        Assert.Equal("""{"city": "sim city"}""", arguments);
        Assert.Equal(arguments, events[^3].Json.GetProperty("arguments").GetString());
        var done = events[^2].Json.GetProperty("item");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(added.GetProperty("call_id").GetString(), done.GetProperty("call_id").GetString());
        var completed = events[^1].Json.GetProperty("response");
        var final = Assert.Single(completed.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", final.GetProperty("type").GetString());
        Assert.Equal(arguments, final.GetProperty("arguments").GetString());
        Assert.True(completed.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
    }

    [Theory]
    [InlineData("\"required\"")]
    [InlineData("{\"type\":\"function\",\"name\":\"get_weather\"}")]
    public async Task ForcedChoice_WithoutTheFlags_IsAFunctionCall(string choice)
    {
        await using var sim = await Sim.StartAsync();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/responses", $$"""{"input":"hello",{{Tools}},"tool_choice":{{choice}}}""");

        Assert.Equal("function_call", body.GetProperty("output")[0].GetProperty("type").GetString());
        Assert.Equal(JsonDocument.Parse(choice).RootElement.GetRawText(), body.GetProperty("tool_choice").GetRawText());
    }
}
