using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>A container's attachment to one network: aliases on create, addresses on inspect.</summary>
public sealed record EndpointSettings
{
    public IReadOnlyList<string>? Aliases { get; init; }

    [JsonPropertyName("NetworkID")]
    public string? NetworkId { get; init; }

    [JsonPropertyName("IPAddress")]
    public string? IpAddress { get; init; }
}
