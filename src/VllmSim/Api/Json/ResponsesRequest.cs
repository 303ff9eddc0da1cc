using System.Text.Json;

namespace VllmSim.Api.Json;

internal sealed class ResponsesRequest
{
    public string? Model { get; set; }

    /// <summary>A string or a list of input items (messages).</summary>
    public JsonElement Input { get; set; }

    public string? Instructions { get; set; }

    public int? MaxOutputTokens { get; set; }

    public bool? Stream { get; set; }

    public long? Seed { get; set; }

    /// <summary>Tools, flat: [{"type":"function","name","parameters"}]; built-in types are ignored.</summary>
    public JsonElement Tools { get; set; }

    /// <summary>"none", "auto", "required" or {"type":"function","name"}.</summary>
    public JsonElement ToolChoice { get; set; }
}
