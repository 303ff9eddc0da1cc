using System.Security.Cryptography;
using System.Text;

namespace GpuRouter.Security;

/// <summary>Maps a bearer key to a client by SHA-256, comparing every stored hash in constant time.</summary>
public sealed class ClientRegistry
{
    private readonly (byte[] Hash, ClientIdentity Identity)[] _clients;

    public ClientRegistry(IEnumerable<ClientDefinition> clients) =>
        _clients = [.. clients.Select(c => (c.KeySha256, ClientIdentity.From(c)))];

    public bool IsOpen => _clients.Length == 0;

    public ClientIdentity? Find(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty) return null;
        Span<byte> hash = stackalloc byte[32];
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        var utf8 = max <= 512 ? stackalloc byte[max] : new byte[max];
        var n = Encoding.UTF8.GetBytes(key, utf8);
        SHA256.HashData(utf8[..n], hash);
        ClientIdentity? found = null;
        // No early exit: the time taken does not depend on which client (if any) matched.
        foreach (var (stored, identity) in _clients)
        {
            if (CryptographicOperations.FixedTimeEquals(stored, hash)) found = identity;
        }
        return found;
    }
}
