using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net;
using System.Text;

namespace Router.Tests.Docker;

/// <summary>
/// An HTTP server on a unix socket (as dockerd listens by default) or on loopback TCP that answers
/// each request line with a canned raw response, or holds the connection silent when the answer
/// is null. The router's real client (the Docker.DotNet package with its unix or TCP transport)
/// talks to it. Stands in for daemons we cannot run: an old or future API version, plain-text
/// errors, a daemon that never answers, recorded answers of an engine with bridge networking.
/// </summary>
internal sealed class FakeDockerDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string? _socketPath;
    private readonly Func<string, string?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeDockerDaemon(Func<string, string?> answer, DockerTransportKind transport = DockerTransportKind.Unix)
    {
        _answer = answer;
        if (transport == DockerTransportKind.Unix)
        {
            _socketPath = Path.Combine(Path.GetTempPath(), $"gpu-router-fake-docker-{Guid.NewGuid():N}.sock");
            _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _listener.Bind(new UnixDomainSocketEndPoint(_socketPath));
        }
        else
        {
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        _listener.Listen();
        _accepting = AcceptAsync();
    }

    public string Endpoint => _socketPath is { } path
        ? $"unix://{path}"
        : $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    /// <summary>Request lines received, e.g. <c>GET /v1.47/containers/x/json HTTP/1.1</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static string Json(int status, string body) =>
        $"HTTP/1.1 {status} Fake\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public static string Text(int status, string body) =>
        $"HTTP/1.1 {status} Fake\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        _stop.Dispose();
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket))
        {
            try
            {
                var requestLine = await ReadRequestLineAsync(stream);
                Requests.Enqueue(requestLine);
                if (_answer(requestLine) is { } response)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                    return;
                }

                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
                // The client gave up or the fake is shutting down.
            }
        }
    }

    // Reads the request headers and drains a body of known length (a create's JSON): a socket
    // closed with unread input would reset the connection before the client reads the answer.
    private async Task<string> ReadRequestLineAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return Encoding.ASCII.GetString([.. received]);
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var headers = Encoding.ASCII.GetString([.. received], 0, headerEnd);
        var bodyLength = headers.Split("\r\n")
            .Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(h => int.Parse(h["Content-Length:".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        for (var unread = headerEnd + 4 + bodyLength - received.Count; unread > 0;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(unread, buffer.Length)), _stop.Token);
            if (read == 0)
            {
                break;
            }

            unread -= read;
        }

        return headers.Split("\r\n")[0];
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).IndexOf(value);
}

/// <summary>How the fake daemon is reached: the two transports the router's client builds.</summary>
public enum DockerTransportKind
{
    Unix,
    Tcp,
}
