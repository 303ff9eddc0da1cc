using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>The body Docker sends with every 4xx/5xx: <c>{"message": "..."}</c>.</summary>
internal sealed record DockerErrorResponse
{
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
