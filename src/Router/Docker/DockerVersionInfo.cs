namespace GpuRouter.Docker;

/// <summary>What the daemon reported about itself and the API version this client speaks to it.</summary>
public sealed record DockerVersionInfo(
    string EngineVersion,
    DockerApiVersion DaemonApiVersion,
    DockerApiVersion? DaemonMinApiVersion,
    DockerApiVersion NegotiatedApiVersion,
    string Os,
    string Arch);
