using Npgsql;

namespace GpuRouter.Usage;

/// <summary>
/// Brings the usage schema up to date: every migration not yet in schema_migrations, in order,
/// in one transaction under an advisory lock, so two routers starting together cannot race and
/// a failure leaves the schema as it was.
/// </summary>
internal sealed class UsageMigrator(NpgsqlDataSource dataSource, IReadOnlyList<UsageMigration> migrations)
{
    /// <summary>The highest version known to this build.</summary>
    public int LatestVersion => migrations.Count == 0 ? 0 : migrations[^1].Version;

    /// <returns>How many migrations this call applied (0 when the schema was current).</returns>
    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand(UsageSql.LockMigrations, connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long> { TypedValue = UsageSql.MigrationLockKey });
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        await using (var create = new NpgsqlCommand(UsageSql.CreateMigrationsTable, connection, transaction))
            await create.ExecuteNonQueryAsync(ct);

        var applied = new HashSet<int>();
        await using (var select = new NpgsqlCommand(UsageSql.AppliedVersions, connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) applied.Add(reader.GetInt32(0));
        }

        var count = 0;
        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version)) continue;
            await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                await apply.ExecuteNonQueryAsync(ct);
            await using (var record = new NpgsqlCommand(UsageSql.RecordMigration, connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                await record.ExecuteNonQueryAsync(ct);
            }
            count++;
        }
        await transaction.CommitAsync(ct);
        return count;
    }
}
