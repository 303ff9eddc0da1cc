using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GpuRouter.Docker;

/// <summary>Builds the engine client of a remote GPU host.</summary>
internal static class RemoteDocker
{
    /// <summary>
    /// A client of the remote engine, with the same guarantees as the local one (unreachable is
    /// <see cref="DockerUnavailableException"/>, per-call timeouts on <paramref name="time"/>, the
    /// API floor, events and logs in order). Invalid options, a plain endpoint among them, throw
    /// <see cref="OptionsValidationException"/>; TLS files that cannot be used throw
    /// <see cref="DockerTlsException"/> naming each file. The files are read here, once; nothing
    /// connects until the first call.
    /// </summary>
    public static DockerEngineClient Connect(RemoteDockerOptions options, TimeProvider time, ILogger<DockerEngineClient> logger)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(options.Key, typeof(RemoteDockerOptions), errors);
        }

        DockerEndpoint.TryParseTls(options.Endpoint, $"{options.Key}.docker", out var endpoint, out _);
        var tls = DockerTls.Load(options.Tls!, $"{options.Key}.tls");
        return new DockerEngineClient(endpoint! with { Tls = tls }, options.Timeouts, time, logger);
    }
}
