using System.Text.Json;

namespace VllmSim.Api.Json;

internal sealed class EmbeddingRequest
{
    public string? Model { get; set; }

    /// <summary>A string, a list of strings, a list of token ids, or a list of those lists.</summary>
    public JsonElement Input { get; set; }

    public string? EncodingFormat { get; set; }

    public int? Dimensions { get; set; }
}
