using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>The parts of <c>GET /images/{name}/json</c> the router reads.</summary>
public sealed record ImageInspect
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonConverter(typeof(DockerTimestampConverter))]
    public DateTimeOffset? Created { get; init; }

    public long Size { get; init; }

    public ImageConfig? Config { get; init; }
}
