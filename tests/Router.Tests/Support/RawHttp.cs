using System.Net.Sockets;
using System.Text;

namespace Router.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not do: announce a body longer than it
/// sends, trickle it, half-close, or go silent. Reads the whole response until the server closes
/// or the Content-Length is in.
/// </summary>
internal sealed class RawHttp : IDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private NetworkStream _stream = null!;

    public static async Task<RawHttp> ConnectAsync(Uri address)
    {
        var raw = new RawHttp();
        await raw._tcp.ConnectAsync(address.Host, address.Port);
        raw._stream = raw._tcp.GetStream();
        return raw;
    }

    /// <summary>The request line and headers; Host and Connection: close are added.</summary>
    public Task SendHeadAsync(string method, string path, params string[] headers)
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        return SendAsync(Encoding.ASCII.GetBytes(head.ToString()));
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Ends the sending side (FIN) and keeps reading: a client that sent all it will.</summary>
    public void HalfClose() => _tcp.Client.Shutdown(SocketShutdown.Send);

    /// <summary>Closes with a reset (RST) instead of a FIN: a client that vanished.</summary>
    public void Reset()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Client.Close();
    }

    /// <summary>Sends each byte on its own, <paramref name="gap"/> apart, until done or the server stops reading.</summary>
    public async Task<bool> TrickleAsync(byte[] bytes, TimeSpan gap, CancellationToken ct)
    {
        try
        {
            foreach (var b in bytes)
            {
                await _stream.WriteAsync(new[] { b }, ct);
                await Task.Delay(gap, ct);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads until the server closes; the number of bytes it sent.</summary>
    public async Task<long> ReadToEndAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        long total = 0;
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, cts.Token)) > 0) total += read;
        }
        catch (IOException)
        {
            // Closed with a reset: just as closed.
        }
        return total;
    }

    /// <summary>The response: status, headers (lower-case names) and body, read until the server closes.</summary>
    public async Task<RawResponse> ReadResponseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, cts.Token);
                if (read == 0) break;
                received.Write(buffer, 0, read);
                if (RawResponse.TryParse(received.ToArray(), complete: false) is { } done) return done;
            }
        }
        catch (IOException)
        {
            // A reset after the response: what arrived is parsed below.
        }
        return RawResponse.TryParse(received.ToArray(), complete: true)
            ?? throw new InvalidOperationException($"No HTTP response; received {received.Length} bytes.");
    }

    public void Dispose() => _tcp.Dispose();
}

internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body)
{
    public static RawResponse? TryParse(byte[] data, bool complete)
    {
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = text[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var done = body.Contains("0\r\n\r\n", StringComparison.Ordinal);
            return done || complete ? new(status, headers, Dechunk(body)) : null;
        }
        if (headers.TryGetValue("content-length", out var length))
        {
            var wanted = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
            if (Encoding.UTF8.GetByteCount(body) < wanted) return complete ? new(status, headers, body) : null;
            return new(status, headers, body);
        }
        return complete ? new(status, headers, body) : null;
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(chunked[at..lineEnd], 16);
            if (size == 0) break;
            var start = lineEnd + 2;
            body.Append(chunked.AsSpan(start, Math.Min(size, chunked.Length - start)));
            at = start + size + 2;
        }
        return body.ToString();
    }
}
