using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>One line of <c>GET /events</c>. The older <c>status</c>/<c>id</c>/<c>from</c> fields repeat these and are ignored.</summary>
internal sealed record DockerEventMessage
{
    public string? Type { get; init; }

    public string? Action { get; init; }

    public DockerEventActor? Actor { get; init; }

    [JsonPropertyName("time")]
    public long Time { get; init; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }
}
