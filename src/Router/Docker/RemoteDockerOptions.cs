namespace GpuRouter.Docker;

/// <summary>
/// How to reach the Docker engine of another GPU host: always over TLS, its certificate verified
/// against <see cref="DockerTlsFiles.Ca"/>, the router presenting its client certificate. The
/// timeouts mean what they mean for the local engine (<see cref="DockerOptions"/>).
/// </summary>
public sealed class RemoteDockerOptions
{
    /// <summary>The configuration key the errors name, e.g. <c>hosts[0]</c>.</summary>
    public string Key { get; set; } = "hosts[0]";

    /// <summary><c>tcp://host:port</c> (Docker's TLS port 2376 when none is given).</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Required: a remote engine without TLS is refused.</summary>
    public DockerTlsFiles? Tls { get; set; }

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan StopTimeoutMargin { get; set; } = TimeSpan.FromSeconds(15);

    internal DockerTimeouts Timeouts => new(RequestTimeout, ConnectTimeout, StopTimeoutMargin);

    /// <summary>Every problem at once, each naming its key. Does not read the TLS files (see <see cref="RemoteDocker.Connect"/>).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!DockerEndpoint.TryParseTls(Endpoint, $"{Key}.docker", out _, out var endpointError))
        {
            errors.Add(endpointError);
        }

        if (Tls is null)
        {
            errors.Add($"{Key}.tls: is required: a remote engine is spoken to only over TLS, with its certificate checked against your CA "
                + $"and the router's client certificate (dockerd --tlsverify); plain tcp:// would give anyone who reaches the port root on that host");
        }

        foreach (var (key, value) in new[] { ("requestTimeout", RequestTimeout), ("connectTimeout", ConnectTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{Key}.{key} must be a positive duration (got {value}).");
            }
        }

        if (StopTimeoutMargin < TimeSpan.Zero)
        {
            errors.Add($"{Key}.stopTimeoutMargin must not be negative (got {StopTimeoutMargin}).");
        }

        return errors;
    }
}
