namespace GpuRouter.Docker;

/// <summary>How to reach the Docker daemon and how instances are run on it (config section <c>docker</c>).</summary>
public sealed class DockerOptions
{
    /// <summary><c>unix:///path/to/docker.sock</c>, <c>tcp://host:port</c> or <c>http://host:port</c>.</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary><c>docker.network</c>: the network instances join (<c>host</c> or a bridge name); null: Docker's default bridge.</summary>
    public string? Network { get; set; }

    /// <summary><c>docker.portRange</c>: the host ports instances are published on, first to last.</summary>
    public int PortFirst { get; set; } = 18000;

    public int PortLast { get; set; } = 18999;

    /// <summary><c>docker.gpuAccess: nvidia</c> (true) asks for the instance's GPUs through the NVIDIA runtime; <c>none</c> (false) does not.</summary>
    public bool NvidiaGpus { get; set; } = true;

    /// <summary><c>docker.hfCache</c>: the Hugging Face cache mounted into instances (a path, absolute, or a volume name).</summary>
    public string? HfCache { get; set; }

    /// <summary><c>docker.vllmCache</c>: vLLM's own cache (compiled graphs), mounted the same way.</summary>
    public string? VllmCache { get; set; }

    /// <summary>Bounds an ordinary call, response body included. Not applied to the events stream or to wait.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounds opening a connection, so a dead TCP endpoint fails fast.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Added to a stop's own grace period: the daemon answers only after its SIGKILL has landed.</summary>
    public TimeSpan StopTimeoutMargin { get; set; } = TimeSpan.FromSeconds(15);

    internal DockerTimeouts Timeouts => new(RequestTimeout, ConnectTimeout, StopTimeoutMargin);

    /// <summary>Every problem at once, each naming its configuration key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!DockerEndpoint.TryParse(Endpoint, out _, out var endpointError))
        {
            errors.Add(endpointError);
        }

        AddIfNotPositive(errors, "docker.requestTimeout", RequestTimeout);
        AddIfNotPositive(errors, "docker.connectTimeout", ConnectTimeout);
        if (StopTimeoutMargin < TimeSpan.Zero)
        {
            errors.Add($"docker.stopTimeoutMargin must not be negative (got {StopTimeoutMargin}).");
        }

        return errors;
    }

    private static void AddIfNotPositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive duration (got {value}).");
        }
    }
}
