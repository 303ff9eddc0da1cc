namespace GpuRouter.Docker;

/// <summary>
/// The daemon could not be reached or stopped answering: no socket, connection refused, the
/// connection dropped, or no answer within the call's timeout. Distinct from
/// <see cref="DockerApiException"/> because the remedy is different (start Docker, fix the
/// endpoint), and because nothing is known about the state of the container involved.
/// </summary>
public sealed class DockerUnavailableException : Exception
{
    public DockerUnavailableException(string endpoint, string message, Exception? innerException)
        : base(message, innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>The configured endpoint, e.g. <c>unix:///var/run/docker.sock</c>.</summary>
    public string Endpoint { get; }
}
