namespace GpuRouter.Usage;

/// <summary>What GET /admin/usage shows: the in-memory totals and, with PostgreSQL, the writer's state.</summary>
public static class UsageView
{
    public static object From(IServiceProvider services)
    {
        var totals = services.GetRequiredService<UsageTotals>();
        return new
        {
            since = totals.Since,
            totals = totals.Snapshot(),
            postgres = Postgres(services),
        };
    }

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
