using System.Text.Json;

namespace VllmSim.Api.Json;

/// <summary>The fields of a chat completion request the simulator acts on; others are ignored.</summary>
internal sealed class ChatRequest
{
    public string? Model { get; set; }

    public List<ChatMessage?>? Messages { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public int? N { get; set; }

    public bool? Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    public JsonElement Stop { get; set; }

    public long? Seed { get; set; }

    /// <summary>Function tools: [{"type":"function","function":{"name","parameters"}}].</summary>
    public JsonElement Tools { get; set; }

    /// <summary>"none", "auto", "required" or {"type":"function","function":{"name"}}.</summary>
    public JsonElement ToolChoice { get; set; }
}
