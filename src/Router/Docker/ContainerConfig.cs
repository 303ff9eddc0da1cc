using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>The <c>Config</c> section of a container inspect: what it was created with.</summary>
public sealed record ContainerConfig
{
    public string Image { get; init; } = "";

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public bool Tty { get; init; }

    [JsonConverter(typeof(DockerPortSetConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }
}
