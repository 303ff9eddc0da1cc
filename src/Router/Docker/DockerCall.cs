using System.Globalization;
using System.Net.Sockets;

namespace GpuRouter.Docker;

/// <summary>
/// The cancellation and failure context of one call: its timeout (from the injected
/// <see cref="TimeProvider"/>) linked with the caller's token, and the translation of transport
/// failures into <see cref="DockerUnavailableException"/> naming the endpoint and the call.
/// </summary>
internal sealed class DockerCall : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _caller;
    private readonly DockerEndpoint _endpoint;
    private readonly TimeSpan _timeout;

    public DockerCall(DockerEndpoint endpoint, string description, TimeSpan timeout, TimeProvider time, CancellationToken caller)
    {
        _endpoint = endpoint;
        _timeout = timeout;
        _caller = caller;
        Description = description;
        _timer = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timer.Token);
    }

    /// <summary>Method and path, e.g. <c>GET /v1.41/containers/abc/json</c>.</summary>
    public string Description { get; }

    public CancellationToken Token => _linked.Token;

    /// <summary>
    /// Disarms the timeout once headers have arrived on a stream that legitimately stays open
    /// (events): from then on only the caller ends it.
    /// </summary>
    public void ReleaseTimeout() => _timer.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// The exception to throw instead of <paramref name="exception"/>, or null to let it pass:
    /// the caller's own cancellation and non-transport errors pass unchanged.
    /// </summary>
    public DockerUnavailableException? Translate(Exception exception)
    {
        if (_caller.IsCancellationRequested)
        {
            return null;
        }

        return exception switch
        {
            OperationCanceledException => new DockerUnavailableException(
                _endpoint.Display,
                $"The Docker daemon at {_endpoint.Display} did not answer {Description} within {FormatTimeout()}.",
                exception),
            HttpRequestException request => new DockerUnavailableException(
                _endpoint.Display,
                $"The Docker daemon at {_endpoint.Display} is unreachable ({Description}): {Reason(request)}",
                exception),
            IOException io => new DockerUnavailableException(
                _endpoint.Display,
                $"The connection to the Docker daemon at {_endpoint.Display} broke during {Description}: {io.Message}",
                exception),
            _ => null,
        };
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }

    // The socket error ("Connection refused", "Permission denied") says more than the handler's
    // wrapper, which names the placeholder host used for unix sockets. A missing socket file
    // reads as "Cannot assign requested address" in .NET, so that case is spelled out.
    private string Reason(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is not SocketException socket)
            {
                continue;
            }

            return socket.SocketErrorCode == SocketError.AddressNotAvailable
                && _endpoint.SocketPath is { } path && !File.Exists(path)
                    ? $"there is no socket at {path} (is the daemon running?)"
                    : socket.Message;
        }

        return exception.Message;
    }

    private string FormatTimeout() =>
        _timeout == Timeout.InfiniteTimeSpan
            ? "the connect timeout"
            : string.Create(CultureInfo.InvariantCulture, $"{_timeout.TotalSeconds:0.###} s");
}
