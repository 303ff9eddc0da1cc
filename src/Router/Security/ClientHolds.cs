using System.Collections.Frozen;
using GpuRouter.Configuration;

namespace GpuRouter.Security;

/// <summary>
/// How many requests of each client the router holds now (queued or in flight, on any instance),
/// and the check of <c>clients[].maxConcurrent</c> against it: taking a hold is one atomic step,
/// so two requests can never both take the last place.
/// </summary>
public sealed class ClientHolds
{
    private readonly FrozenDictionary<string, HeldCount> _clients;

    public ClientHolds(IEnumerable<ClientDefinition> clients) =>
        _clients = clients.ToFrozenDictionary(c => c.Name, c => new HeldCount(c.MaxConcurrent), StringComparer.Ordinal);

    /// <summary>Takes a place for one request; false when the client already holds its maxConcurrent.</summary>
    /// <param name="hold">Dispose it when the request is over, whatever way it ends (a no-op for clients not in the config).</param>
    public bool TryHold(string client, out ClientHold hold)
    {
        hold = default;
        if (!_clients.TryGetValue(client, out var count)) return true;
        if (!count.TryEnter()) return false;
        hold = new ClientHold(count);
        return true;
    }

    /// <summary>Requests the client holds now; 0 for a name not in the config.</summary>
    public int Held(string client) => _clients.TryGetValue(client, out var count) ? count.Current : 0;

    public IEnumerable<string> Clients => _clients.Keys;
}
