namespace GpuRouter.Docker;

/// <summary>
/// A TLS file of a remote engine could not be used: missing, unreadable, not PEM, or a key that
/// does not belong to its certificate. <see cref="Errors"/> holds every problem at once, each
/// naming its configuration key and its file.
/// </summary>
public sealed class DockerTlsException : Exception
{
    public DockerTlsException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
