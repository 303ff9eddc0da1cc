using System.Data.Common;
using System.Net.Sockets;

namespace GpuRouter.Usage;

/// <summary>
/// What GET /admin/usage shows: totals per client and model (or rows grouped <c>by</c> client,
/// model or user) and, with PostgreSQL, the writer's state. Without <c>since</c> the rows are the
/// in-memory totals since the router started; with it and PostgreSQL they are read from the
/// stored rows from then on. <c>since</c> in the answer says which.
/// </summary>
public static class UsageView
{
    /// <param name="by">null: the totals per client and model, under "totals" as always.</param>
    public static async Task<Dictionary<string, object?>> FromAsync(
        IServiceProvider services, UsageGrouping? by, DateTimeOffset? since, CancellationToken ct)
    {
        var totals = services.GetRequiredService<UsageTotals>();
        var grouping = by ?? UsageGrouping.ClientAndModel;
        IReadOnlyList<UsageRow>? rows = null;
        string? queryError = null;
        if (since is { } from && services.GetService<UsageQuery>() is { } query)
        {
            try
            {
                rows = await query.GroupedAsync(grouping, from, ct);
            }
            catch (Exception e) when (e is DbException or TimeoutException or IOException or SocketException)
            {
                queryError = e.Message;
            }
        }
        var view = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["since"] = rows is null ? totals.Since : since,
            ["from"] = rows is null ? "memory" : "postgres",
        };
        if (queryError is not null) view["queryError"] = queryError;
        rows ??= totals.Grouped(grouping);
        if (by is { } b)
        {
            view["by"] = Name(b);
            view["rows"] = rows.Select(r => Row(b, r)).ToList();
        }
        else
        {
            view["totals"] = rows.Select(r => new UsageTotal(r.Key, r.Detail ?? "", r.Requests, r.Errors, r.PromptTokens, r.CompletionTokens)).ToList();
        }
        view["postgres"] = Postgres(services);
        return view;
    }

    public static string Name(UsageGrouping by) => by switch
    {
        UsageGrouping.Client => "client",
        UsageGrouping.Model => "model",
        UsageGrouping.User => "user",
        _ => "",
    };

    private static object Row(UsageGrouping by, UsageRow r) => by switch
    {
        UsageGrouping.User => new { user = r.Key, name = r.Detail, requests = r.Requests, errors = r.Errors, promptTokens = r.PromptTokens, completionTokens = r.CompletionTokens },
        UsageGrouping.Model => new { model = r.Key, requests = r.Requests, errors = r.Errors, promptTokens = r.PromptTokens, completionTokens = r.CompletionTokens },
        _ => new { client = r.Key, requests = r.Requests, errors = r.Errors, promptTokens = r.PromptTokens, completionTokens = r.CompletionTokens },
    };

    // Null when usage.postgres is not set: the totals above are then all there is.
    private static object? Postgres(IServiceProvider services)
    {
        if (services.GetService<UsageStatus>() is not { } status) return null;
        var recorder = services.GetRequiredService<UsageRecorder>();
        var pending = services.GetRequiredService<PendingEvents>();
        var (lastError, lastErrorAt) = status.LastError;
        return new
        {
            connected = status.Connected,
            schemaVersion = status.SchemaVersion,
            written = status.Written,
            buffered = pending.Count + recorder.Queued,
            dropped = pending.Dropped + recorder.DroppedWhenFull + status.Rejected,
            droppedBufferFull = pending.Dropped,
            droppedChannelFull = recorder.DroppedWhenFull,
            rejected = status.Rejected,
            lastError,
            lastErrorAt,
        };
    }
}
