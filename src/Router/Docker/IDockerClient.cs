using Docker.DotNet.Models;

namespace GpuRouter.Docker;

/// <summary>
/// The Docker Engine API as the router uses it, in the Docker.DotNet package's models. Daemon
/// errors throw <see cref="DockerApiException"/> carrying the daemon's message; an unreachable or
/// silent daemon throws <see cref="DockerUnavailableException"/>. Ids may be container ids or names.
/// </summary>
public interface IDockerClient
{
    /// <summary>Succeeds when the daemon answers <c>/_ping</c>.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Asks the daemon for its version and (re)negotiates the API level: the daemon's, capped at
    /// <see cref="DockerApiVersion.Maximum"/>. Throws <see cref="NotSupportedException"/> below
    /// <see cref="DockerApiVersion.Minimum"/>. Other calls negotiate on first use by themselves.
    /// </summary>
    Task<DockerVersionInfo> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates (does not start) the container named <see cref="CreateContainerParameters.Name"/>
    /// and returns its id. A taken name is a 409.
    /// </summary>
    Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken);

    /// <summary>Starts a container; false when it was already running.</summary>
    Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Sends SIGTERM, then SIGKILL after <paramref name="timeout"/> (whole seconds, rounded up);
    /// returns once the container is down. False when it was not running.
    /// </summary>
    Task<bool> StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Sends a signal such as <c>SIGKILL</c>; a container that is not running is a 409.</summary>
    Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a container (<paramref name="force"/> kills a running one first). With
    /// <paramref name="ignoreMissing"/> a missing container returns false instead of throwing.
    /// </summary>
    Task<bool> RemoveContainerAsync(string id, bool force, bool ignoreMissing, CancellationToken cancellationToken);

    /// <summary>The container's details, or null when no such container exists.</summary>
    Task<ContainerInspectResponse?> InspectContainerAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>
    /// Containers carrying all the given labels (a null value matches any value);
    /// <paramref name="all"/> includes stopped ones.
    /// </summary>
    Task<IReadOnlyList<ContainerListResponse>> ListContainersAsync(
        IReadOnlyDictionary<string, string?> labelFilters, bool all, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="lines"/> lines of stdout and stderr together, in the order they were logged.</summary>
    Task<string> GetLogsTailAsync(string id, int lines, CancellationToken cancellationToken);

    /// <summary>Waits, without a timeout of its own, until the container is not running and returns its exit code.</summary>
    Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Daemon events matching <paramref name="filters"/>, in the order the daemon sent them, until
    /// cancelled (the enumeration then throws <see cref="OperationCanceledException"/>) or the
    /// daemon goes away or closes the stream (<see cref="DockerUnavailableException"/>).
    /// </summary>
    IAsyncEnumerable<DockerEvent> EventsAsync(DockerEventFilters filters, CancellationToken cancellationToken);

    /// <summary>The image's details, or null when the daemon does not have it.</summary>
    Task<ImageInspectResponse?> InspectImageAsync(string name, CancellationToken cancellationToken);
}
