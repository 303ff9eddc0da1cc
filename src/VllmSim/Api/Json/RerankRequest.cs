using System.Text.Json;

namespace VllmSim.Api.Json;

internal sealed class RerankRequest
{
    public string? Model { get; set; }

    public string? Query { get; set; }

    /// <summary>Strings, or objects with a "text" field.</summary>
    public JsonElement Documents { get; set; }

    public int? TopN { get; set; }

    public bool? ReturnDocuments { get; set; }
}
