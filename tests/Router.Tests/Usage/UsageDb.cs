using Npgsql;

namespace Router.Tests.Usage;

/// <summary>Reads what the router wrote, straight from PostgreSQL.</summary>
internal static class UsageDb
{
    public static async Task<long> CountAsync(string connectionString, string table = "usage_events")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        if (!(bool)(await exists.ExecuteScalarAsync())!) return -1;
        // The table name is one of the tests' own constants.
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until usage_events holds exactly <paramref name="expected"/> rows (the database may be starting).</summary>
    public static Task WaitForCountAsync(string connectionString, long expected, int timeoutMs = 15_000) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                return await CountAsync(connectionString) == expected;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, $"usage_events holds {expected} rows", timeoutMs);

    public static async Task<List<UsageRow>> RowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT event_id, client, source, model_requested, model_served, instance, gpu, status, prompt_tokens,
                   completion_tokens, estimated_prompt_tokens, queue_ms, ttft_ms, duration_ms, cold_start_ms
            FROM usage_events ORDER BY event_id
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<UsageRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new UsageRow(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), Text(reader, 4),
                Text(reader, 5), Text(reader, 6), reader.GetInt16(7), reader.GetInt32(8), reader.GetInt32(9),
                reader.GetInt32(10), reader.GetInt32(11), Number(reader, 12), reader.GetInt32(13), Number(reader, 14)));
        }
        return rows;
    }

    public static async Task<List<int>> MigrationVersionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static int? Number(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);
}
