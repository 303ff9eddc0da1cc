namespace GpuRouter.Docker;

/// <summary>One host address a container port is published on, e.g. 127.0.0.1:18000.</summary>
public sealed record PortBinding
{
    public string? HostIp { get; init; }

    /// <summary>A string on the wire; empty or absent lets Docker pick a free port.</summary>
    public string? HostPort { get; init; }
}
