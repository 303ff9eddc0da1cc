using System.Net.Http.Json;
using System.Text.Json;
using GpuRouter.Usage;
using Npgsql;

namespace Router.Tests.Usage;

public class UsageMigrationTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    [Fact]
    public async Task Migrate_FreshDatabase_CreatesUsageEventsWithItsIndexesAndRecordsVersions1And2()
    {
        var cs = await cluster.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(cs);

        var applied = await new UsageMigrator(dataSource, UsageMigrations.Load()).MigrateAsync(default);

        Assert.Equal(2, applied);
        Assert.Equal([1, 2], await UsageDb.MigrationVersionsAsync(cs));
        Assert.Equal(0, await UsageDb.CountAsync(cs));
        await using var command = dataSource.CreateCommand(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'usage_events' ORDER BY indexname");
        await using var reader = await command.ExecuteReaderAsync();
        var indexes = new List<string>();
        while (await reader.ReadAsync()) indexes.Add(reader.GetString(0));
        Assert.Contains(indexes, i => i.EndsWith("(client, ts)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.EndsWith("(ts)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.EndsWith("(event_id)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.EndsWith("(user_id, ts) WHERE (user_id IS NOT NULL)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_Twice_AppliesOnce()
    {
        var cs = await cluster.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(cs);
        var migrator = new UsageMigrator(dataSource, UsageMigrations.Load());

        Assert.Equal(2, await migrator.MigrateAsync(default));
        Assert.Equal(0, await migrator.MigrateAsync(default));

        Assert.Equal([1, 2], await UsageDb.MigrationVersionsAsync(cs));
    }

    [Fact]
    public async Task Migrate_FourRoutersAtOnce_TheLockLetsExactlyOneApply()
    {
        var cs = await cluster.CreateDatabaseAsync();
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(cs)).ToList();
        try
        {
            var applied = await Task.WhenAll(sources.Select(s => new UsageMigrator(s, UsageMigrations.Load()).MigrateAsync(default)));

            Assert.Equal(2, applied.Sum());
            Assert.Contains(2, applied);
            Assert.Equal([1, 2], await UsageDb.MigrationVersionsAsync(cs));
        }
        finally
        {
            foreach (var s in sources) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task Router_StartedTwice_MigratesOnceAndStartsCleanly()
    {
        var cs = await cluster.CreateDatabaseAsync();
        await using var sims = new Sims();
        var gpu0 = await sims.StartAsync("llama");
        var gpu1 = await sims.StartAsync("llama");

        for (var start = 0; start < 2; start++)
        {
            using var router = UsageRouter.Create(cs, gpu0, gpu1);
            using var admin = router.Client(TestKeys.Admin);
            await Eventually.TrueAsync(async () =>
            {
                var usage = await admin.GetFromJsonAsync<JsonElement>("/admin/usage");
                return usage.GetProperty("postgres").GetProperty("schemaVersion").GetInt32() == 2;
            }, "the router has migrated the schema");
        }

        Assert.Equal([1, 2], await UsageDb.MigrationVersionsAsync(cs));
    }

    [Fact]
    public async Task Migrate_DatabaseAtVersion1WithRows_AddsTheUserColumnsAsNullForOldRows()
    {
        var cs = await cluster.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(cs);
        var all = UsageMigrations.Load();
        await new UsageMigrator(dataSource, [.. all.Where(m => m.Version == 1)]).MigrateAsync(default);
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO usage_events (event_id, ts, client, source, status, prompt_tokens, completion_tokens, estimated_prompt_tokens, queue_ms, duration_ms)
            VALUES (gen_random_uuid(), now(), 'webui', 'interactive', 200, 10, 5, 9, 0, 12)
            """))
            await insert.ExecuteNonQueryAsync();

        Assert.Equal(1, await new UsageMigrator(dataSource, all).MigrateAsync(default));

        Assert.Equal([1, 2], await UsageDb.MigrationVersionsAsync(cs));
        await using var read = dataSource.CreateCommand("SELECT client, user_id IS NULL AND user_name IS NULL FROM usage_events");
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("webui", reader.GetString(0));
        Assert.True(reader.GetBoolean(1));
    }
}
