using System.Collections.Frozen;

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

    public static bool ForwardToBackend(string name) => !NotForwarded.Contains(name);

    // CORS is the router's to answer (server.corsOrigins): vLLM's own "allow any origin" must not leak through.
    public static bool ReturnToClient(string name) =>
        !NotReturned.Contains(name) && !name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase);
}
