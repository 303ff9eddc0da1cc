using System.Collections.Concurrent;

namespace GpuRouter.Usage;

/// <summary>
/// In-memory totals per client and served model since start, and per Open WebUI user, kept
/// whether or not PostgreSQL is configured. Updated on the request path, so lookups must not
/// allocate once a pair exists.
/// </summary>
internal sealed class UsageTotals(TimeProvider time)
{
    /// <summary>Users counted one by one; past this many, further ids share the row <see cref="OtherUsers"/>.</summary>
    public const int MaxUsers = 10_000;

    public const string OtherUsers = "(other)";

    // Keyed by the served model, never the requested one: clients and configured models are
    // finite, but a client's made-up model names are not and must not grow this map.
    private readonly ConcurrentDictionary<(string Client, string Model), UsageCounter> _counters = new();

    // User ids come from a header of a trusted client only, and are bounded in count here.
    private readonly ConcurrentDictionary<string, UserUsage> _users = new(StringComparer.Ordinal);

    public DateTimeOffset Since { get; } = time.GetUtcNow();

    public void Add(in UsageEvent e)
    {
        _counters.GetOrAdd((e.Client, e.ModelServed ?? ""), static _ => new UsageCounter()).Add(e);
        if (e.UserId is { } user) User(user).Add(e);
    }

    public IReadOnlyList<UsageTotal> Snapshot() =>
    [
        .. _counters
            .Select(kv => kv.Value.Read(kv.Key.Client, kv.Key.Model))
            .OrderBy(t => t.Client, StringComparer.Ordinal)
            .ThenBy(t => t.Model, StringComparer.Ordinal),
    ];

    /// <summary>The totals since start, grouped as GET /admin/usage?by= asks.</summary>
    public IReadOnlyList<UsageRow> Grouped(UsageGrouping by)
    {
        if (by == UsageGrouping.User)
            return [.. _users.Select(kv => kv.Value.Counter.Row(kv.Key, kv.Value.Name)).OrderBy(r => r.Key, StringComparer.Ordinal)];
        var rows = Snapshot().Select(t => new UsageRow(t.Client, t.Model, t.Requests, t.Errors, t.PromptTokens, t.CompletionTokens));
        if (by == UsageGrouping.ClientAndModel) return [.. rows];
        return
        [
            .. rows.GroupBy(r => by == UsageGrouping.Client ? r.Key : r.Detail!, StringComparer.Ordinal)
                .Select(g => new UsageRow(g.Key, null, g.Sum(r => r.Requests), g.Sum(r => r.Errors), g.Sum(r => r.PromptTokens), g.Sum(r => r.CompletionTokens)))
                .OrderBy(r => r.Key, StringComparer.Ordinal),
        ];
    }

    private UserUsage User(string id)
    {
        if (_users.TryGetValue(id, out var user)) return user;
        // Not exact under a race (a few over the bound at most), which is all the bound is for.
        if (_users.Count >= MaxUsers) id = OtherUsers;
        return _users.GetOrAdd(id, static _ => new UserUsage());
    }
}
