using System.Text.Json;

namespace VllmSim.Api.Json;

internal sealed class ChatMessage
{
    public string? Role { get; set; }

    /// <summary>A string, an array of content parts, or null (an assistant turn with tool calls).</summary>
    public JsonElement Content { get; set; }

    /// <summary>An assistant turn's calls; they take their place in the prompt.</summary>
    public JsonElement ToolCalls { get; set; }
}
