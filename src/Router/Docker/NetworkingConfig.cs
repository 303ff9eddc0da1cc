namespace GpuRouter.Docker;

/// <summary>The networks a container joins at creation, keyed by network name.</summary>
public sealed record NetworkingConfig
{
    public IReadOnlyDictionary<string, EndpointSettings>? EndpointsConfig { get; init; }
}
