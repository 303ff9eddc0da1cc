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
    private readonly string _endpoint;
    private readonly TimeSpan _timeout;

    public DockerCall(string endpoint, string description, TimeSpan timeout, TimeProvider time, CancellationToken caller)
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
                _endpoint,
                $"The Docker daemon at {_endpoint} did not answer {Description} within {FormatTimeout()}.",
                exception),
            HttpRequestException request => new DockerUnavailableException(
                _endpoint,
                $"The Docker daemon at {_endpoint} is unreachable ({Description}): {Reason(request)}",
                exception),
            IOException io => new DockerUnavailableException(
                _endpoint,
                $"The connection to the Docker daemon at {_endpoint} broke during {Description}: {io.Message}",
                exception),
            _ => null,
        };
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }

    // The socket error ("No such file or directory", "Connection refused") says more than the
    // handler's wrapper, which names the placeholder host used for unix sockets.
    private static string Reason(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }

        return exception.Message;
    }

    private string FormatTimeout() =>
        _timeout == Timeout.InfiniteTimeSpan
            ? "the connect timeout"
            : string.Create(CultureInfo.InvariantCulture, $"{_timeout.TotalSeconds:0.###} s");
}
