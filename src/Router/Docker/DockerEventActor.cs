using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>The object an event is about: its id and attributes (name, image, labels, exitCode).</summary>
internal sealed record DockerEventActor
{
    [JsonPropertyName("ID")]
    public string? Id { get; init; }

    public Dictionary<string, string>? Attributes { get; init; }
}
