using System.Diagnostics.CodeAnalysis;

namespace GpuRouter.Docker;

/// <summary>
/// A parsed <c>docker.endpoint</c>: <see cref="Address"/> is what the client is built with, a
/// <c>unix://</c> socket or plain HTTP. <c>tcp://</c> is plain HTTP, as Docker's own client
/// treats it without TLS settings, on Docker's port 2375 when none is given (the package's HTTP
/// transport would take port 80). A remote engine's endpoint (<see cref="TryParseTls"/>) is
/// HTTPS, on Docker's TLS port 2376 when none is given, and carries its <see cref="Tls"/>.
/// </summary>
internal sealed record DockerEndpoint(string Display, Uri Address, string? SocketPath)
{
    private const string UnixScheme = "unix://";
    private const string TcpScheme = "tcp://";
    private const int DefaultTcpPort = 2375;
    private const int DefaultTlsPort = 2376;

    /// <summary>The TLS material of a remote engine; null for the local socket or plain HTTP.</summary>
    public DockerTls? Tls { get; init; }

    public static DockerEndpoint Parse(string? value) =>
        TryParse(value, out var endpoint, out var error) ? endpoint : throw new ArgumentException(error, nameof(value));

    public static bool TryParse(
        string? value,
        [NotNullWhen(true)] out DockerEndpoint? endpoint,
        [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        error = null;
        var text = value?.Trim() ?? "";
        if (text.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase))
        {
            var path = text[UnixScheme.Length..];
            if (!path.StartsWith('/'))
            {
                error = $"docker.endpoint '{text}' needs an absolute socket path, e.g. unix:///var/run/docker.sock.";
                return false;
            }

            endpoint = new DockerEndpoint(text, new Uri(UnixScheme + path), path);
            return true;
        }

        var isTcp = text.StartsWith(TcpScheme, StringComparison.OrdinalIgnoreCase);
        var httpText = isTcp ? "http://" + text[TcpScheme.Length..] : text;
        if ((isTcp || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(httpText, UriKind.Absolute, out var uri)
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0)
        {
            var port = isTcp && uri.IsDefaultPort ? DefaultTcpPort : uri.Port;
            endpoint = new DockerEndpoint(text, new UriBuilder("http", uri.Host, port).Uri, null);
            return true;
        }

        error = $"docker.endpoint '{text}' is not supported: use unix:///path/to/docker.sock, tcp://host:port or http://host:port (TLS is not supported).";
        return false;
    }

    /// <summary>
    /// A remote engine's endpoint, <c>tcp://host[:port]</c> or <c>https://host[:port]</c>, spoken to
    /// over TLS only; <paramref name="key"/> names it in the error.
    /// </summary>
    public static bool TryParseTls(
        string? value,
        string key,
        [NotNullWhen(true)] out DockerEndpoint? endpoint,
        [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        error = null;
        var text = value?.Trim() ?? "";
        var isTcp = text.StartsWith(TcpScheme, StringComparison.OrdinalIgnoreCase);
        var httpsText = isTcp ? "https://" + text[TcpScheme.Length..] : text;
        if ((isTcp || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(httpsText, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0)
        {
            var port = isTcp && uri.IsDefaultPort ? DefaultTlsPort : uri.Port;
            endpoint = new DockerEndpoint(text, new UriBuilder("https", uri.Host, port).Uri, null);
            return true;
        }

        error = text.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase)
            ? $"{key}: '{text}' is a socket on this machine; a remote engine is tcp://host:port (TLS)"
            : text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                ? $"{key}: '{text}' is plain HTTP, refused: whoever reaches a Docker API is root on that host, so a remote engine is spoken to over TLS only (tcp://host:port with tls)"
                : $"{key}: '{text}' is not a remote engine endpoint: use tcp://host:port (TLS, Docker's port 2376 when none is given)";
        return false;
    }
}
