using System.Net;
using System.Security.Cryptography;

namespace GpuRouter.Security;

/// <summary>
/// A secret made at start-up that lets the router's own liveness probe (the systemd watchdog's
/// GET /health over loopback) through the network allowlist, which may leave loopback out. It
/// admits nothing else: only /health, only from this host, only with the header; it never leaves
/// the process except in that request.
/// </summary>
public sealed class ProbeKey
{
    public const string Header = "X-Router-Probe";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Value => Convert.ToHexString(_key);

    public bool Admits(HttpContext context)
    {
        if (context.Request.Path != "/health") return false;
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !(IPAddress.IsLoopback(remote) || remote.Equals(context.Connection.LocalIpAddress))) return false;
        var presented = context.Request.Headers[Header].ToString();
        Span<byte> bytes = stackalloc byte[32];
        return presented.Length == 64
            && Convert.FromHexString(presented, bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(bytes, _key);
    }
}
