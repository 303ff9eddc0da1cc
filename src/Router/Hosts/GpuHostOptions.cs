using GpuRouter.Docker;

namespace GpuRouter.Hosts;

/// <summary>
/// One GPU host besides this one (config <c>hosts[]</c>), validated: its Docker engine (TLS only),
/// where the router reaches its containers, and the engine settings the local <c>docker</c>
/// section has, for that host.
/// </summary>
public sealed class GpuHostOptions
{
    /// <summary>Unique; what an instance's <c>host</c> names.</summary>
    public required string Name { get; init; }

    /// <summary>The engine, <c>tcp://host:port</c>.</summary>
    public required string Docker { get; init; }

    /// <summary>Absolute paths on this machine.</summary>
    public required DockerTlsFiles Tls { get; init; }

    /// <summary>A name or address of that host the router reaches its containers at.</summary>
    public required string Address { get; init; }

    /// <summary>
    /// An IP address of that host the containers listen on (network host) or publish their port
    /// on; null: <see cref="Address"/> where it is an IP address or the host network is used, else
    /// (a published port and a name) every interface of that host.
    /// </summary>
    public string? Bind { get; init; }

    public required int PortFirst { get; init; }

    public required int PortLast { get; init; }

    public required IReadOnlyList<HostGpu> Gpus { get; init; }

    /// <summary><c>host</c>: the containers use that host's network; null: each publishes its port.</summary>
    public string? Network { get; init; }

    public required bool NvidiaGpus { get; init; }

    /// <summary>A path on that host or a volume name there.</summary>
    public string? HfCache { get; init; }

    /// <summary>A path on that host or a volume name there.</summary>
    public string? VllmCache { get; init; }

    /// <summary>Host RAM sleeping weights may take there; null: none given (there is no <c>/proc/meminfo</c> of that host to read).</summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>The engine's client options, with the local engine's timeouts.</summary>
    public RemoteDockerOptions Engine(string key, DockerOptions local) => new()
    {
        Key = key,
        Endpoint = Docker,
        Tls = Tls,
        RequestTimeout = local.RequestTimeout,
        ConnectTimeout = local.ConnectTimeout,
        StopTimeoutMargin = local.StopTimeoutMargin,
    };
}
