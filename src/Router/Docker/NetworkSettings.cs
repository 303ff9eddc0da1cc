namespace GpuRouter.Docker;

/// <summary>Where a running container can be reached: published ports and joined networks.</summary>
public sealed record NetworkSettings
{
    /// <summary>Container port (<c>8000/tcp</c>) to its host bindings; null for an exposed but unpublished port.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? Ports { get; init; }

    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }
}
