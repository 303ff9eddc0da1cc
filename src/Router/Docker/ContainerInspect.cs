namespace GpuRouter.Docker;

/// <summary>The parts of <c>GET /containers/{id}/json</c> the router reads.</summary>
public sealed record ContainerInspect
{
    public string Id { get; init; } = "";

    /// <summary>The name as Docker reports it, with a leading slash.</summary>
    public string Name { get; init; } = "";

    public ContainerState State { get; init; } = new();

    public ContainerConfig Config { get; init; } = new();

    public HostConfig? HostConfig { get; init; }

    public NetworkSettings? NetworkSettings { get; init; }

    public int RestartCount { get; init; }
}
