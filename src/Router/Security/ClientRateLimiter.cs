using System.Collections.Frozen;
using System.Threading.RateLimiting;

namespace GpuRouter.Security;

/// <summary>
/// Per-client request rate (clients[].requestsPerMinute): a token bucket that refills every
/// second, so a client may burst up to its minute's worth and then proceeds at its rate.
/// Clients without a limit are not counted at all.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly FrozenDictionary<string, TokenBucketRateLimiter> _limiters;

    public ClientRateLimiter(IEnumerable<ClientDefinition> clients) =>
        _limiters = clients.Where(c => c.RequestsPerMinute is > 0).ToFrozenDictionary(c => c.Name, c => new TokenBucketRateLimiter(new()
        {
            TokenLimit = c.RequestsPerMinute!.Value,
            TokensPerPeriod = Math.Max(1, c.RequestsPerMinute.Value / 60),
            ReplenishmentPeriod = c.RequestsPerMinute.Value >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / c.RequestsPerMinute.Value),
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    /// <summary>Null when the request may go on; otherwise how long until it may.</summary>
    public TimeSpan? TryAcquire(string client)
    {
        if (!_limiters.TryGetValue(client, out var limiter)) return null;
        using var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values) limiter.Dispose();
    }
}
