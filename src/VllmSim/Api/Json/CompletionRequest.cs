using System.Text.Json;

namespace VllmSim.Api.Json;

internal sealed class CompletionRequest
{
    public string? Model { get; set; }

    /// <summary>A string, a list of strings, or a list of token ids.</summary>
    public JsonElement Prompt { get; set; }

    public int? MaxTokens { get; set; }

    public int? N { get; set; }

    public bool? Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    public JsonElement Stop { get; set; }

    public long? Seed { get; set; }
}
