using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Tools;

/// <summary>Chat completions with tools, as vLLM answers them with and without its tool flags.</summary>
public sealed class ToolCallTests
{
    internal const string Tools = """
        "tools":[
          {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}}},
          {"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{
             "city":{"type":"string"},"days":{"type":"integer","minimum":3},"unit":{"type":"string","enum":["celsius","fahrenheit"]},
             "note":{"type":"string"}},"required":["city","days","unit"]}}}]
        """;

    internal static Task<Sim> StartWithTools(string parser = "llama3_json") => Sim.StartAsync(o =>
    {
        o.EnableAutoToolChoice = true;
        o.ToolCallParser = parser;
    });

    [Fact]
    public async Task Auto_UserNamesATool_AnswersWithThatCall()
    {
        await using var sim = await StartWithTools();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("What is get_weather in Paris?", Tools));

        Assert.Equal(HttpStatusCode.OK, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = message.GetProperty("tool_calls")[0];
        Assert.Matches("^chatcmpl-tool-[0-9a-f]{32}$", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city": "sim city", "days": 3, "unit": "celsius"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 10);
    }

    [Fact]
    public async Task Auto_NoToolNamed_CallsTheFirst_AndAToolResultIsAnsweredWithText()
    {
        await using var sim = await StartWithTools();

        var (_, first) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("What can you do?", Tools));
        var call = first.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        var followUp = $$"""
            {"model":"{{Sim.ModelName}}","messages":[
              {"role":"user","content":"What can you do?"},
              {"role":"assistant","content":null,"tool_calls":[{{call.GetRawText()}}]},
              {"role":"tool","tool_call_id":"{{call.GetProperty("id").GetString()}}","content":"12:00"}],
             {{Tools}}}
            """;
        var (status, second) = await sim.Client.PostJsonAsync("/v1/chat/completions", followUp);

        Assert.Equal("get_time", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, status);
        var answer = second.GetProperty("choices")[0];
        Assert.Equal("stop", answer.GetProperty("finish_reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(0, answer.GetProperty("message").GetProperty("tool_calls").GetArrayLength());
    }

    [Fact]
    public async Task Auto_WithoutTheToolFlags_Is400InVllmsWords()
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("get_weather please", Tools));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set",
            body.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("\"required\"", "get_weather", "tool_calls", "")]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}", "get_time", "stop", "")]
    public async Task ForcedChoice_WorksWithoutTheFlags(string choice, string tool, string finish, string content)
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("get_weather in Rome", Tools + ",\"tool_choice\":" + choice));

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = body.GetProperty("choices")[0];
        Assert.Equal(finish, answer.GetProperty("finish_reason").GetString());
        Assert.Equal(content, answer.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(tool, answer.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ToolChoiceNone_AnswersWithText()
    {
        await using var sim = await StartWithTools();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("get_weather", Tools + ",\"tool_choice\":\"none\""));

        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, body.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls").GetArrayLength());
    }

    [Fact]
    public async Task Stream_SendsRoleThenNameThenArgumentPiecesThenFinishAndUsage()
    {
        await using var sim = await StartWithTools("hermes");
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions",
            Http.Chat("get_weather for Oslo", Tools + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        var events = await Sse.ReadAllAsync(response, clock);

        Assert.True(events[^1].IsDone);
        var chunks = events.SkipLast(1).Select(e => e.Json).ToList();
        var usage = chunks[^1].GetProperty("usage");
        var deltas = chunks.SkipLast(1).Select(c => c.GetProperty("choices")[0]).ToList();
        Assert.Equal("assistant", deltas[0].GetProperty("delta").GetProperty("role").GetString());
        var header = deltas[1].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Matches("^chatcmpl-tool-", header.GetProperty("id").GetString());
        Assert.Equal("function", header.GetProperty("type").GetString());
        Assert.Equal(0, header.GetProperty("index").GetInt32());
        Assert.Equal("get_weather", header.GetProperty("function").GetProperty("name").GetString());
        var pieces = deltas.Skip(2).Where(d => d.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(d => d.GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()).ToList();
        Assert.True(pieces.Count > 3, $"{pieces.Count} argument pieces");
        Assert.Equal("""{"city": "sim city", "days": 3, "unit": "celsius"}""", string.Concat(pieces));
        Assert.Equal("tool_calls", deltas[^1].GetProperty("finish_reason").GetString());
        Assert.All(deltas.SkipLast(1), d => Assert.Equal(JsonValueKind.Null, d.GetProperty("finish_reason").ValueKind));
        Assert.True(usage.GetProperty("completion_tokens").GetInt32() >= pieces.Count + 1);
    }

    [Fact]
    public async Task MaxTokensCutsTheCall_ItArrivesAsTextWithLength()
    {
        await using var sim = await StartWithTools();

        var (_, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("get_weather", Tools + ",\"max_tokens\":4"));

        var answer = body.GetProperty("choices")[0];
        Assert.Equal("length", answer.GetProperty("finish_reason").GetString());
        Assert.StartsWith("{\"name", answer.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, answer.GetProperty("message").GetProperty("tool_calls").GetArrayLength());
    }

    [Theory]
    [InlineData("\"tools\":[]", "`tools` must not be an empty array")]
    [InlineData("\"tool_choice\":\"auto\"", "When using `tool_choice`, `tools` must be set.")]
    [InlineData(Tools + ",\"tool_choice\":\"sometimes\"", "Invalid value for `tool_choice`: sometimes!")]
    [InlineData(Tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}", "does not match any of the specified `tools`")]
    [InlineData(Tools + ",\"tool_choice\":{\"type\":\"function\"}", "Invalid value for `function`: `None` in `tool_choice`!")]
    [InlineData(Tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{}}", "Expected field `name` in `function`")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{}}]", "tools[0].function.name is required")]
    public async Task BadToolsOrChoice_Are400(string extra, string expected)
    {
        await using var sim = await StartWithTools();

        var (status, body) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hi", extra));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, sim.Stats.RequestsRejected);
    }
}
