namespace GpuRouter.Usage;

/// <summary>The usage feature's log messages. Event ids 5000-5099 belong to this folder and never change meaning.</summary>
internal static partial class UsageLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information,
        Message = "Usage: PostgreSQL schema at version {Version} ({Applied} migrations applied now)")]
    public static partial void Migrated(this ILogger logger, int version, int applied);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "Usage: migrating the PostgreSQL schema failed, retrying in {RetryMs} ms: {Error}")]
    public static partial void MigrationFailed(this ILogger logger, double retryMs, string error);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning,
        Message = "Usage: writing {Count} events failed, {Buffered} buffered, {Dropped} dropped so far, retrying in {RetryMs} ms: {Error}")]
    public static partial void WriteFailed(this ILogger logger, int count, int buffered, long dropped, double retryMs, string error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information,
        Message = "Usage: PostgreSQL answers again; writing {Buffered} buffered events")]
    public static partial void Recovered(this ILogger logger, int buffered);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning,
        Message = "Usage: outage buffer full ({Capacity} events); dropping the oldest, {Dropped} dropped so far")]
    public static partial void BufferFull(this ILogger logger, int capacity, long dropped);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning,
        Message = "Usage: channel full; {Dropped} newest events dropped so far")]
    public static partial void ChannelFull(this ILogger logger, long dropped);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error,
        Message = "Usage: PostgreSQL rejected a batch of {Count} events as invalid data; it is dropped: {Error}")]
    public static partial void BatchRejected(this ILogger logger, int count, string error);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning,
        Message = "Usage: {Count} buffered events not written at shutdown: {Error}")]
    public static partial void LostAtShutdown(this ILogger logger, int count, string error);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Debug, Message = "Usage: wrote {Count} events")]
    public static partial void Wrote(this ILogger logger, int count);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Critical,
        Message = "Usage: the writer stopped on an unexpected error; totals stay in memory, nothing more reaches PostgreSQL")]
    public static partial void WriterCrashed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information,
        Message = "Usage: today's tokens from earlier runs loaded for {Clients} clients ({Tokens} tokens, day {Day})")]
    public static partial void TokensTodayLoaded(this ILogger logger, int clients, long tokens, string day);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning,
        Message = "Usage: reading today's tokens from PostgreSQL failed, retrying in {RetryMs} ms (budgets count this run only until then): {Error}")]
    public static partial void TokensTodayLoadFailed(this ILogger logger, double retryMs, string error);
}
