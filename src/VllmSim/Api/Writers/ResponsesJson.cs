using System.Text.Json;

namespace VllmSim.Api.Writers;

/// <summary>The Responses API's response object and message item, as vLLM's serving_responses writes them.</summary>
internal static class ResponsesJson
{
    public static void WriteResponse(Utf8JsonWriter json, ResponseState state, string status, Action<Utf8JsonWriter>? output, (int Input, int Output)? usage, string propertyName = "")
    {
        if (propertyName.Length > 0)
        {
            json.WriteStartObject(propertyName);
        }
        else
        {
            json.WriteStartObject();
        }
        json.WriteString("id", state.Id);
        json.WriteString("object", "response");
        json.WriteNumber("created_at", state.CreatedAt);
        json.WriteString("model", state.Model);
        json.WriteString("status", status);
        if (status == "incomplete")
        {
            json.WriteStartObject("incomplete_details");
            json.WriteString("reason", "max_output_tokens");
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("incomplete_details");
        }
        WriteNullable(json, "instructions", state.Instructions);
        if (state.MaxOutputTokens is { } max)
        {
            json.WriteNumber("max_output_tokens", max);
        }
        else
        {
            json.WriteNull("max_output_tokens");
        }
        json.WriteStartArray("output");
        output?.Invoke(json);
        json.WriteEndArray();
        json.WriteBoolean("parallel_tool_calls", true);
        json.WriteNumber("temperature", 1.0);
        if (state.ToolChoice.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            json.WriteString("tool_choice", "auto");
        }
        else
        {
            json.WritePropertyName("tool_choice");
            state.ToolChoice.WriteTo(json);
        }
        if (state.Tools.ValueKind == JsonValueKind.Array)
        {
            json.WritePropertyName("tools");
            state.Tools.WriteTo(json);
        }
        else
        {
            json.WriteStartArray("tools");
            json.WriteEndArray();
        }
        json.WriteNumber("top_p", 1.0);
        json.WriteBoolean("background", false);
        json.WriteStartObject("text");
        json.WriteStartObject("format");
        json.WriteString("type", "text");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("truncation", "disabled");
        if (usage is { } u)
        {
            json.WriteStartObject("usage");
            json.WriteNumber("input_tokens", u.Input);
            json.WriteStartObject("input_tokens_details");
            json.WriteNumber("cached_tokens", 0);
            json.WriteEndObject();
            json.WriteNumber("output_tokens", u.Output);
            json.WriteStartObject("output_tokens_details");
            json.WriteNumber("reasoning_tokens", 0);
            json.WriteEndObject();
            json.WriteNumber("total_tokens", (long)u.Input + u.Output);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("usage");
        }
        json.WriteNull("error");
        json.WriteNull("previous_response_id");
        json.WriteNull("reasoning");
        json.WriteNull("user");
        json.WriteEndObject();
    }

    /// <summary>The assistant message item; <paramref name="text"/> null gives it no content yet.</summary>
    public static void WriteMessage(Utf8JsonWriter json, ResponseState state, string status, string? text, string propertyName = "")
    {
        if (propertyName.Length > 0)
        {
            json.WriteStartObject(propertyName);
        }
        else
        {
            json.WriteStartObject();
        }
        json.WriteString("id", state.MessageId);
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("status", status);
        json.WriteStartArray("content");
        if (text is not null)
        {
            WriteTextPart(json, text);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A function_call output item (the OpenAI SDK's field order).</summary>
    public static void WriteFunctionCall(Utf8JsonWriter json, string itemId, string callId, string name, string arguments, string status, string propertyName = "")
    {
        if (propertyName.Length > 0)
        {
            json.WriteStartObject(propertyName);
        }
        else
        {
            json.WriteStartObject();
        }
        json.WriteString("arguments", arguments);
        json.WriteString("call_id", callId);
        json.WriteString("name", name);
        json.WriteString("type", "function_call");
        json.WriteString("id", itemId);
        json.WriteString("status", status);
        json.WriteEndObject();
    }

    /// <summary>
    /// The output items of a finished response as vLLM's full parse makes them: a function_call item
    /// for a call the model wrote to the end, else a message with the text.
    /// </summary>
    public static Action<Utf8JsonWriter> FinalOutput(ResponseState state, string text, Tools.ToolCallPlan? call) => json =>
    {
        if (call is not null)
        {
            WriteFunctionCall(json, state.FunctionCallId, call.Id, call.Name, call.Arguments, "completed");
        }
        else
        {
            WriteMessage(json, state, "completed", text);
        }
    };

    public static void WriteTextPart(Utf8JsonWriter json, string text, string propertyName = "")
    {
        if (propertyName.Length > 0)
        {
            json.WriteStartObject(propertyName);
        }
        else
        {
            json.WriteStartObject();
        }
        json.WriteString("type", "output_text");
        json.WriteString("text", text);
        json.WriteStartArray("annotations");
        json.WriteEndArray();
        json.WriteStartArray("logprobs");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
