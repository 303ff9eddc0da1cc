using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Router.Tests.Docker;

/// <summary>
/// A loopback HTTP server that answers each request line with a canned raw response, or holds
/// the connection silent when the answer is null. Stands in for daemons we cannot run: an old
/// or future API version, plain-text errors, a daemon that never answers.
/// </summary>
internal sealed class FakeDockerDaemon : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, string?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeDockerDaemon(Func<string, string?> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Request lines received, e.g. <c>GET /v1.47/containers/x/json HTTP/1.1</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static string Json(int status, string body) =>
        $"HTTP/1.1 {status} Fake\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public static string Text(int status, string body) =>
        $"HTTP/1.1 {status} Fake\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
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

    // Reads up to the end of the request headers; the fake's callers send no bodies.
    private async Task<string> ReadRequestLineAsync(NetworkStream stream)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var text = received.ToString();
        var end = text.IndexOf("\r\n", StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
