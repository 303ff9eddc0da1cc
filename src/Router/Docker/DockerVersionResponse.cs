using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>The body of <c>GET /version</c>.</summary>
internal sealed record DockerVersionResponse
{
    public string Version { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    [JsonPropertyName("MinAPIVersion")]
    public string? MinApiVersion { get; init; }

    public string Os { get; init; } = "";

    public string Arch { get; init; } = "";

    public string? KernelVersion { get; init; }
}
