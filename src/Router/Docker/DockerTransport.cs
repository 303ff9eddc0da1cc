using System.Net;
using System.Net.Sockets;

namespace GpuRouter.Docker;

/// <summary>
/// HTTP/1.1 to the daemon over a unix socket or TCP. It uses an <see cref="HttpMessageInvoker"/>,
/// which never buffers bodies and has no global timeout, so each call chooses its own bound and
/// long-lived streams (events, wait) are not cut.
/// </summary>
internal sealed class DockerTransport : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly TimeProvider _time;

    public DockerTransport(DockerEndpoint endpoint, TimeSpan connectTimeout, TimeProvider time)
    {
        Endpoint = endpoint;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            // A configured HTTP proxy must never see the daemon's API.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = connectTimeout,
        };
        if (endpoint.SocketPath is { } path)
        {
            handler.ConnectCallback = (_, token) => ConnectUnixAsync(path, token);
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public DockerEndpoint Endpoint { get; }

    /// <summary>
    /// Sends a request and returns once headers are in. <paramref name="timeout"/> bounds the
    /// exchange until the response is disposed (or its call released);
    /// <see cref="Timeout.InfiniteTimeSpan"/> leaves only the caller's token.
    /// </summary>
    public async Task<DockerResponse> SendAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
        var call = new DockerCall(Endpoint, $"{method} {path}", timeout, _time, cancellationToken);
        using var request = new HttpRequestMessage(method, new Uri(Endpoint.BaseAddress, pathAndQuery))
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            var response = await _invoker.SendAsync(request, call.Token);
            return new DockerResponse(response, call);
        }
        catch (Exception exception)
        {
            call.Dispose();
            if (call.Translate(exception) is { } unavailable)
            {
                throw unavailable;
            }

            throw;
        }
    }

    public void Dispose() => _invoker.Dispose();

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
