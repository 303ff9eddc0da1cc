namespace GpuRouter.Usage;

/// <summary>GET /admin/usage; SecurityMiddleware lets only admin keys through to /admin.</summary>
public static class UsageEndpoints
{
    public static IEndpointRouteBuilder MapUsage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/usage", (UsageTotals totals, IServiceProvider services) => Results.Json(new
        {
            since = totals.Since,
            totals = totals.Snapshot(),
            postgres = Postgres(services),
        }));
        return app;
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
