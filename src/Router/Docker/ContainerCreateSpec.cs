using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>
/// The body of <c>POST /containers/create</c>, reduced to what the router sets. Property names are
/// Docker's own (PascalCase); null members are left out of the request so the daemon applies its
/// defaults.
/// </summary>
public sealed record ContainerCreateSpec
{
    public required string Image { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Variables as Docker takes them: <c>KEY=value</c>.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Ports such as <c>8000/tcp</c>; Docker wants them as the keys of an object.</summary>
    [JsonConverter(typeof(DockerPortSetConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    /// <summary>Allocates a TTY; the container's logs then come back raw instead of multiplexed.</summary>
    public bool? Tty { get; init; }

    public HostConfig? HostConfig { get; init; }

    /// <summary>Set when the container joins a named bridge network at creation.</summary>
    public NetworkingConfig? NetworkingConfig { get; init; }
}
