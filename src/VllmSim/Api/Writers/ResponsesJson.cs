using System.Text.Json;

namespace VllmSim.Api.Writers;

/// <summary>The Responses API's response object and message item, as vLLM's serving_responses writes them.</summary>
internal static class ResponsesJson
{
    public static void WriteResponse(Utf8JsonWriter json, ResponseState state, string status, string? text, (int Input, int Output)? usage, string propertyName = "")
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
        if (text is not null)
        {
            WriteMessage(json, state, "completed", text);
        }
        json.WriteEndArray();
        json.WriteBoolean("parallel_tool_calls", true);
        json.WriteNumber("temperature", 1.0);
        json.WriteString("tool_choice", "auto");
        json.WriteStartArray("tools");
        json.WriteEndArray();
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
