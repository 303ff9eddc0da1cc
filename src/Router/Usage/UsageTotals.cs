using System.Collections.Concurrent;

namespace GpuRouter.Usage;

/// <summary>
/// In-memory totals per client and served model since start, kept whether or not PostgreSQL is
/// configured. Updated on the request path, so lookups must not allocate once a pair exists.
/// </summary>
internal sealed class UsageTotals(TimeProvider time)
{
    // Keyed by the served model, never the requested one: clients and configured models are
    // finite, but a client's made-up model names are not and must not grow this map.
    private readonly ConcurrentDictionary<(string Client, string Model), UsageCounter> _counters = new();

    public DateTimeOffset Since { get; } = time.GetUtcNow();

    public void Add(in UsageEvent e) =>
        _counters.GetOrAdd((e.Client, e.ModelServed ?? ""), static _ => new UsageCounter()).Add(e);

    public IReadOnlyList<UsageTotal> Snapshot() =>
    [
        .. _counters
            .Select(kv => kv.Value.Read(kv.Key.Client, kv.Key.Model))
            .OrderBy(t => t.Client, StringComparer.Ordinal)
            .ThenBy(t => t.Model, StringComparer.Ordinal),
    ];
}
