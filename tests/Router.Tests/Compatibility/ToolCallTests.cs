// OpenAI 2.15 marks its Responses API types experimental; n8n's agents use that API, so the test must.
#pragma warning disable OPENAI001

using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

namespace Router.Tests.Compatibility;

/// <summary>
/// An agent loop (call, tool result, answer) through the router with OpenAI's .NET client, on chat
/// completions and on the Responses API, plain and streamed, against simulators started as the
/// shipped config starts vLLM (--enable-auto-tool-choice --tool-call-parser llama3_json). The
/// router forwards all of it untouched and still counts the tokens.
/// </summary>
public class ToolCallTests : IAsyncLifetime
{
    private static readonly BinaryData WeatherSchema = BinaryData.FromString(
        """{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}""");

    private readonly Sims _sims = new();
    private RouterFactory? _router;
    private OpenAIClient _client = null!;

    public async Task InitializeAsync()
    {
        var llama = await _sims.StartAsync("llama", o =>
        {
            o.EnableAutoToolChoice = true;
            o.ToolCallParser = "llama3_json";
            o.ItlMs = 2;
        });
        // deepseek-r1 in the shipped config has no tool flags.
        var r1 = await _sims.StartAsync("deepseek-r1");
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{llama.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 4 }] }
              - { name: deepseek-r1, instances: [{ name: deepseek_r1_1, gpus: [1], endpoint: "{{r1.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 4 }] }
            """);
        _client = new OpenAIClient(new ApiKeyCredential(TestKeys.N8n), new OpenAIClientOptions { Endpoint = new Uri(_router.Start(), "/v1") });
    }

    public async Task DisposeAsync()
    {
        _router?.Dispose();
        await _sims.DisposeAsync();
    }

    [Fact]
    public async Task ChatAgentLoop_CallThenToolResultThenAnswer_AndUsageIsCounted()
    {
        var chat = _client.GetChatClient("llama");
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "Current weather", WeatherSchema) } };
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Paris? Use get_weather.")];

        ChatCompletion call = await chat.CompleteChatAsync(messages, options);
        var toolCall = Assert.Single(call.ToolCalls);
        messages.Add(new AssistantChatMessage(call));
        messages.Add(new ToolChatMessage(toolCall.Id, "18 degrees, clear"));
        ChatCompletion answer = await chat.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, call.FinishReason);
        Assert.StartsWith("chatcmpl-tool-", toolCall.Id, StringComparison.Ordinal);
        Assert.Equal("get_weather", toolCall.FunctionName);
        using var arguments = JsonDocument.Parse(toolCall.FunctionArguments);
        Assert.Equal("celsius", arguments.RootElement.GetProperty("unit").GetString());
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Empty(answer.ToolCalls);
        Assert.False(string.IsNullOrWhiteSpace(answer.Content[0].Text));
        await AssertUsageCountedAsync(2, call.Usage.InputTokenCount + answer.Usage.InputTokenCount, call.Usage.OutputTokenCount + answer.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task ChatAgentLoop_Streamed_AssemblesTheCallFromItsDeltas()
    {
        var chat = _client.GetChatClient("llama");
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "Current weather", WeatherSchema) } };
        List<ChatMessage> messages = [new UserChatMessage("get_weather for Oslo")];

        string? id = null, name = null;
        var arguments = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                id ??= part.ToolCallId;
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }
        messages.Add(new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall(id!, name!, BinaryData.FromString(arguments.ToString()))]));
        messages.Add(new ToolChatMessage(id!, "-3 degrees, snow"));
        var text = new System.Text.StringBuilder();
        ChatFinishReason? answerFinish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            answerFinish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("get_weather", name);
        Assert.Equal("""{"city": "sim city", "unit": "celsius"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.Stop, answerFinish);
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
    }

    [Fact]
    public async Task ResponsesAgentLoop_FunctionCallThenOutputThenAnswer_AndUsageIsCounted()
    {
        var responses = _client.GetResponsesClient();
        var tool = ResponseTool.CreateFunctionTool("get_weather", WeatherSchema, strictModeEnabled: false, functionDescription: "Current weather");
        var first = new CreateResponseOptions("llama", [ResponseItem.CreateUserMessageItem("Weather in Lima via get_weather?")]) { Tools = { tool } };

        ResponseResult called = await responses.CreateResponseAsync(first);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(called.OutputItems));
        var second = new CreateResponseOptions("llama", [
            ResponseItem.CreateUserMessageItem("Weather in Lima via get_weather?"),
            ResponseItem.CreateFunctionCallItem(call.CallId, call.FunctionName, call.FunctionArguments),
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, "24 degrees, sunny"),
        ]) { Tools = { tool } };
        ResponseResult answer = await responses.CreateResponseAsync(second);

        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("chatcmpl-tool-", call.CallId, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(answer.GetOutputText()));
        Assert.Equal(ResponseStatus.Completed, answer.Status);
        await AssertUsageCountedAsync(2, called.Usage.InputTokenCount + answer.Usage.InputTokenCount, called.Usage.OutputTokenCount + answer.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task ResponsesAgentLoop_Streamed_CarriesTheCallAsFunctionCallEvents()
    {
        var responses = _client.GetResponsesClient();
        var tool = ResponseTool.CreateFunctionTool("get_weather", WeatherSchema, strictModeEnabled: false, functionDescription: "Current weather");
        var options = new CreateResponseOptions("llama", [ResponseItem.CreateUserMessageItem("get_weather in Quito")]) { Tools = { tool }, StreamingEnabled = true };

        FunctionCallResponseItem? call = null;
        var deltas = new System.Text.StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await responses.CreateResponseStreamingAsync(options))
        {
            switch (update)
            {
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta: deltas.Append(delta.Delta.ToString()); break;
                case StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem item }: call = item; break;
                case StreamingResponseCompletedUpdate done: completed = done.Response; break;
            }
        }
        var answerOptions = new CreateResponseOptions("llama", [
            ResponseItem.CreateUserMessageItem("get_weather in Quito"),
            ResponseItem.CreateFunctionCallItem(call!.CallId, call.FunctionName, call.FunctionArguments),
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, "14 degrees, rain"),
        ]) { Tools = { tool }, StreamingEnabled = true };
        var text = new System.Text.StringBuilder();
        await foreach (var update in await responses.CreateResponseStreamingAsync(answerOptions))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta) text.Append(delta.Delta);
        }

        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal(deltas.ToString(), call.FunctionArguments.ToString());
        Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed!.OutputItems));
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
    }

    [Fact]
    public async Task ModelWithoutToolFlags_ChatRefusesAuto_ResponsesAnswersWithTheRawCall()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Current weather", WeatherSchema);

        var refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            _client.GetChatClient("deepseek-r1").CompleteChatAsync([new UserChatMessage("get_weather in Kyiv")], new ChatCompletionOptions { Tools = { tool } }));
        ResponseResult raw = await _client.GetResponsesClient().CreateResponseAsync(new CreateResponseOptions("deepseek-r1",
            [ResponseItem.CreateUserMessageItem("get_weather in Kyiv")])
        { Tools = { ResponseTool.CreateFunctionTool("get_weather", WeatherSchema, strictModeEnabled: false) } });

        Assert.Equal(400, refused.Status);
        Assert.Contains("--enable-auto-tool-choice", refused.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(raw.OutputItems));
        Assert.Contains("\"name\": \"get_weather\"", raw.GetOutputText(), StringComparison.Ordinal);
    }

    // The router's usage capture still sees the tokens of tool-call responses.
    private async Task AssertUsageCountedAsync(long requests, long promptTokens, long completionTokens)
    {
        using var admin = _router!.Client(TestKeys.Admin);
        JsonElement total = default;
        await Eventually.TrueAsync(async () =>
        {
            var totals = (await admin.GetFromJsonAsync<JsonElement>("/admin/usage")).GetProperty("totals").EnumerateArray().ToList();
            total = totals.SingleOrDefault(t => t.GetProperty("model").GetString() == "llama");
            return total.ValueKind == JsonValueKind.Object && total.GetProperty("requests").GetInt64() == requests;
        }, $"{requests} llama requests in /admin/usage");
        Assert.Equal("n8n", total.GetProperty("client").GetString());
        Assert.Equal(promptTokens, total.GetProperty("promptTokens").GetInt64());
        Assert.Equal(completionTokens, total.GetProperty("completionTokens").GetInt64());
        Assert.Equal(0, total.GetProperty("errors").GetInt64());
    }
}
