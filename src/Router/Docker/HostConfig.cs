namespace GpuRouter.Docker;

/// <summary>Docker's <c>HostConfig</c>: sent on create, read back on inspect.</summary>
public sealed record HostConfig
{
    /// <summary><c>none</c>, <c>host</c>, <c>bridge</c> or the name of a network.</summary>
    public string? NetworkMode { get; init; }

    /// <summary><c>host</c> for tensor parallelism, whose workers share memory across processes.</summary>
    public string? IpcMode { get; init; }

    /// <summary>Mounts as <c>/host/path:/container/path[:ro]</c>.</summary>
    public IReadOnlyList<string>? Binds { get; init; }

    /// <summary>Container port (<c>8000/tcp</c>) to the host addresses it is published on.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? PortBindings { get; init; }

    public RestartPolicy? RestartPolicy { get; init; }

    public IReadOnlyList<DeviceRequest>? DeviceRequests { get; init; }

    /// <summary>Size of <c>/dev/shm</c> in bytes.</summary>
    public long? ShmSize { get; init; }

    /// <summary>A host-memory cap in bytes; crossing it is what Docker reports as <c>oom</c> / OOMKilled.</summary>
    public long? Memory { get; init; }

    /// <summary>Memory plus swap in bytes; equal to <see cref="Memory"/> means no swap.</summary>
    public long? MemorySwap { get; init; }
}
