namespace GpuRouter.Usage;

/// <summary>
/// Where usage is stored (<c>usage.postgres</c>) and the sizes and timings of the pipeline. The
/// sizes are not in the YAML: the defaults fit one box, and tests replace the whole object to make
/// outages and retries fast.
/// </summary>
internal sealed class UsageOptions
{
    /// <summary><c>usage.postgres</c>, an Npgsql connection string; null: usage is counted in memory only.</summary>
    public string? Postgres { get; init; }

    /// <summary>
    /// Events between the request path and the writer. The writer empties it into its own buffer
    /// even while PostgreSQL is down, so it only fills if one database round trip stalls.
    /// </summary>
    public int ChannelCapacity { get; init; } = 10_000;

    /// <summary>Events kept while PostgreSQL is unreachable; beyond this the oldest are dropped.</summary>
    public int MaxBuffered { get; init; } = 100_000;

    /// <summary>Rows per INSERT: one round trip each.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>A partial batch waits at most this long after the previous write.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First wait after a failed migration or write; doubles up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long shutdown may spend writing what is still buffered.</summary>
    public TimeSpan ShutdownFlushTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
