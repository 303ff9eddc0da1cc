using System.Text;
using System.Text.Json;
using VllmSim.Api;
using VllmSim.Api.Json;

namespace VllmSim.Engine;

/// <summary>
/// The simulated chat template: "&lt;|role|&gt;\ncontent\n" per message, then "&lt;|assistant|&gt;\n"
/// (the generation prompt). The rendered text is what the tokenizer counts and what seeds the
/// generated words, so /tokenize with messages and a chat's usage agree.
/// </summary>
internal static class PromptRenderer
{
    public static ApiError? RenderChat(IReadOnlyList<ChatMessage?> messages, out string prompt)
    {
        var text = new StringBuilder();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message is null)
            {
                prompt = string.Empty;
                return ApiError.BadRequest($"messages[{i}] must be an object.", "messages");
            }
            if (string.IsNullOrEmpty(message.Role))
            {
                prompt = string.Empty;
                return ApiError.BadRequest($"messages[{i}].role is required.", "messages");
            }
            if (!TryReadContent(message.Content, out var content))
            {
                prompt = string.Empty;
                return ApiError.BadRequest($"messages[{i}].content must be a string or a list of content parts.", "messages");
            }
            Append(text, message.Role, message.ToolCalls.ValueKind == JsonValueKind.Array ? content + message.ToolCalls.GetRawText() : content);
        }
        text.Append("<|assistant|>\n");
        prompt = text.ToString();
        return null;
    }

    /// <summary>
    /// The tools as a chat template puts them before the conversation (they count as prompt
    /// tokens, as in vLLM); empty without tools.
    /// </summary>
    public static string RenderTools(JsonElement tools) =>
        tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0 ? "<|tools|>\n" + tools.GetRawText() + "\n" : string.Empty;

    /// <summary>The Responses API's input: a string, or a list of message items.</summary>
    public static ApiError? RenderResponsesInput(JsonElement input, string? instructions, out string prompt)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(instructions))
        {
            Append(text, "system", instructions);
        }
        prompt = string.Empty;
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                Append(text, "user", input.GetString()!);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        return ApiError.BadRequest($"input[{index}] must be an object.", "input");
                    }
                    var kind = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    var role = kind switch
                    {
                        "function_call" => "assistant",
                        "function_call_output" => "tool",
                        _ => item.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "user",
                    };
                    // A call the model made earlier: its name and arguments are what it wrote.
                    var body = kind == "function_call" ? item
                        : item.TryGetProperty("content", out var c) ? c : item.TryGetProperty("output", out var o) ? o : default;
                    var content = string.Empty;
                    if (kind == "function_call")
                    {
                        content = body.GetRawText();
                    }
                    else if (!TryReadContent(body, out content))
                    {
                        return ApiError.BadRequest($"input[{index}].content must be a string or a list of content parts.", "input");
                    }
                    Append(text, role, content);
                    index++;
                }
                if (index == 0)
                {
                    return ApiError.BadRequest("input must not be empty.", "input");
                }
                break;
            default:
                return ApiError.BadRequest("input is required: a string or a list of input items.", "input");
        }
        text.Append("<|assistant|>\n");
        prompt = text.ToString();
        return null;
    }

    /// <summary>A content value's text: a string, or the "text" of each part (images add nothing).</summary>
    public static bool TryReadContent(JsonElement content, out string text)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                text = string.Empty;
                return true;
            case JsonValueKind.String:
                text = content.GetString()!;
                return true;
            case JsonValueKind.Array:
                var joined = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        joined.Append(part.GetString());
                    }
                    else if (part.ValueKind != JsonValueKind.Object)
                    {
                        text = string.Empty;
                        return false;
                    }
                    else if (part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        joined.Append(partText.GetString());
                    }
                }
                text = joined.ToString();
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }

    private static void Append(StringBuilder text, string role, string content) =>
        text.Append("<|").Append(role).Append("|>\n").Append(content).Append('\n');
}
