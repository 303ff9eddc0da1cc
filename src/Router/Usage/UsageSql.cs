namespace GpuRouter.Usage;

/// <summary>
/// The statements the code runs itself. The schema lives in Migrations/*.sql; these only use it,
/// plus the migration bookkeeping that must exist before the first migration can be recorded.
/// </summary>
internal static class UsageSql
{
    /// <summary>
    /// An arbitrary constant shared by every router: the advisory lock that lets one of them
    /// migrate while the others wait. Transaction scoped, so a crash mid-migration releases it.
    /// </summary>
    public const long MigrationLockKey = 0x6770_7572_6f75_7465; // "gpuroute" in ASCII

    public const string LockMigrations = "SELECT pg_advisory_xact_lock($1)";

    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public const string AppliedVersions = "SELECT version FROM schema_migrations";

    public const string RecordMigration = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

    /// <summary>
    /// One statement for a whole batch: one array per column, zipped by unnest. Unlike COPY it
    /// can skip ids already stored, so a batch retried after a lost acknowledgement is not
    /// written twice.
    /// </summary>
    public const string InsertBatch = """
        INSERT INTO usage_events (
            event_id, ts, client, source, model_requested, model_served, instance, gpu, status,
            prompt_tokens, completion_tokens, estimated_prompt_tokens, queue_ms, ttft_ms, duration_ms, cold_start_ms,
            user_id, user_name)
        SELECT * FROM unnest(
            $1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::smallint[], $10::integer[], $11::integer[], $12::integer[], $13::integer[], $14::integer[],
            $15::integer[], $16::integer[], $17::text[], $18::text[])
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>
    /// Each client's tokens of the day so far, from a previous run: from local midnight ($1) up to
    /// this router's start ($2), so nothing this run records is counted twice. Counted as
    /// <see cref="UsageRecorder.BudgetTokens"/> counts.
    /// </summary>
    public const string TokensSince = """
        SELECT client, sum(CASE WHEN prompt_tokens + completion_tokens > 0 THEN prompt_tokens::bigint + completion_tokens
                                WHEN status < 400 THEN estimated_prompt_tokens ELSE 0 END)
        FROM usage_events WHERE ts >= $1 AND ts < $2 GROUP BY client
        """;

    /// <summary>
    /// GET /admin/usage with since: requests, errors and tokens per group from $1 on. Every query
    /// returns the same columns: the key, a second text (the model of a client's row, a user's
    /// latest name) and the four counts.
    /// </summary>
    public static string Grouped(UsageGrouping by) => by switch
    {
        UsageGrouping.Client => Counts("client, NULL::text", "", "client"),
        UsageGrouping.Model => Counts("coalesce(model_served, ''), NULL::text", "", "coalesce(model_served, '')"),
        UsageGrouping.User => Counts("user_id, (array_agg(user_name ORDER BY ts DESC))[1]", " AND user_id IS NOT NULL", groupBy: UserColumn),
        _ => Counts("client, coalesce(model_served, '')", "", "client, coalesce(model_served, '')"),
    };

    private const string UserColumn = "user_id";

    private static string Counts(string keys, string filter, string groupBy) => $"""
        SELECT {keys}, count(*), count(*) FILTER (WHERE status >= 400),
               coalesce(sum(prompt_tokens::bigint), 0), coalesce(sum(completion_tokens::bigint), 0)
        FROM usage_events WHERE ts >= $1{filter} GROUP BY {groupBy} ORDER BY {groupBy}
        """;
}
