using System.Text.Json;
using VllmSim.Api.Json;
using VllmSim.Engine;

namespace VllmSim.Tools;

/// <summary>
/// What the simulated model looks at to decide on a call: the last user message's text, and
/// whether the conversation ends with tool results (then it answers them with text).
/// </summary>
internal sealed record ConversationTail(string LastUserText, bool EndsWithToolResult)
{
    /// <summary>Chat messages (already validated by the renderer).</summary>
    public static ConversationTail OfChat(IReadOnlyList<ChatMessage?> messages)
    {
        var user = messages.LastOrDefault(m => m?.Role == "user");
        var text = user is not null && PromptRenderer.TryReadContent(user.Content, out var content) ? content : string.Empty;
        return new ConversationTail(text, messages[^1]?.Role is "tool" or "function");
    }

    /// <summary>A Responses API input: a string, or items where function_call_output items are the results.</summary>
    public static ConversationTail OfResponses(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            return new ConversationTail(input.GetString()!, false);
        }
        var items = input.EnumerateArray().ToList();
        var text = string.Empty;
        foreach (var item in items.Where(i => Role(i) == "user"))
        {
            PromptRenderer.TryReadContent(item.TryGetProperty("content", out var c) ? c : default, out text);
        }
        return new ConversationTail(text, items.Count > 0 && Type(items[^1]) == "function_call_output");
    }

    private static string? Type(JsonElement item) =>
        item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    private static string? Role(JsonElement item) =>
        Type(item) is null or "message" ? item.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : "user" : null;
}
