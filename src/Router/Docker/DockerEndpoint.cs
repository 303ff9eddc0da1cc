using System.Diagnostics.CodeAnalysis;

namespace GpuRouter.Docker;

/// <summary>
/// A parsed <c>docker.endpoint</c>: <see cref="Address"/> is what the client is built with, a
/// <c>unix://</c> socket or plain HTTP. <c>tcp://</c> is plain HTTP, as Docker's own client
/// treats it without TLS settings, on Docker's port 2375 when none is given (the package's HTTP
/// transport would take port 80).
/// </summary>
internal sealed record DockerEndpoint(string Display, Uri Address, string? SocketPath)
{
    private const string UnixScheme = "unix://";
    private const string TcpScheme = "tcp://";
    private const int DefaultTcpPort = 2375;

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
}
