using System.Buffers;
using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;

namespace GpuRouter.Forwarding;

/// <summary>Which headers cross the proxy, in either direction.</summary>
internal static class HeaderRules
{
    // Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy sets itself.
    private static readonly FrozenSet<string> NotForwarded = new[]
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect",
        "Authorization", "Cookie",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> NotReturned = new[]
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Server", "Date",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // What HttpClient sends as it is: visible ASCII, space and tab.
    private static readonly SearchValues<char> FieldChars = SearchValues.Create("\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static bool ForwardToBackend(string name) => !NotForwarded.Contains(name);

    /// <summary>
    /// False for a value HttpClient would refuse to send (non-ASCII or control characters, which
    /// Kestrel lets through as UTF-8 or, for Open WebUI's user headers, Latin-1): such a header is
    /// left out rather than failing the whole request as an unreachable backend.
    /// </summary>
    public static bool Sendable(StringValues values)
    {
        foreach (var value in values)
        {
            if (value is not null && value.AsSpan().ContainsAnyExcept(FieldChars)) return false;
        }
        return true;
    }

    // CORS is the router's to answer (server.corsOrigins): vLLM's own "allow any origin" must not leak through.
    public static bool ReturnToClient(string name) =>
        !NotReturned.Contains(name) && !name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase);
}
