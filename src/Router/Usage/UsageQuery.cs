using Npgsql;

namespace GpuRouter.Usage;

/// <summary>Reads grouped usage from PostgreSQL for GET /admin/usage with <c>since</c>: rows already written, across restarts.</summary>
internal sealed class UsageQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<UsageRow>> GroupedAsync(UsageGrouping by, DateTimeOffset since, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(UsageSql.Grouped(by));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<UsageRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new UsageRow(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        return rows;
    }
}
