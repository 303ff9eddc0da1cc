using System.Text.Json.Serialization;

namespace VllmSim.Api.Json;

/// <summary>
/// Source-generated readers for the request bodies: no reflection, trim-safe, fast. Property
/// names are matched exactly, as vLLM's pydantic models do; unknown properties are ignored.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 64)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(RerankRequest))]
[JsonSerializable(typeof(TokenizeRequest))]
[JsonSerializable(typeof(DetokenizeRequest))]
internal sealed partial class SimJsonContext : JsonSerializerContext
{
}
