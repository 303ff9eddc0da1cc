using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>The run defaults baked into an image.</summary>
public sealed record ImageConfig
{
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonConverter(typeof(DockerPortSetConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }
}
