using Npgsql;

namespace GpuRouter.Usage;

/// <summary>Writes batches of usage events: one parameterized statement, one round trip per batch.</summary>
internal sealed class UsageStore(NpgsqlDataSource dataSource)
{
    /// <returns>Rows inserted; fewer than the batch when some ids were already stored by an earlier try.</returns>
    public async Task<int> WriteAsync(IReadOnlyList<UsageEvent> batch, CancellationToken ct)
    {
        var n = batch.Count;
        var ids = new Guid[n];
        var timestamps = new DateTimeOffset[n];
        var clients = new string[n];
        var sources = new string[n];
        var requested = new string?[n];
        var served = new string?[n];
        var instances = new string?[n];
        var gpus = new string?[n];
        var statuses = new short[n];
        var promptTokens = new int[n];
        var completionTokens = new int[n];
        var estimated = new int[n];
        var queueMs = new int[n];
        var ttftMs = new int?[n];
        var durationMs = new int[n];
        var coldStartMs = new int?[n];
        var userIds = new string?[n];
        var userNames = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var e = batch[i];
            ids[i] = e.Id;
            timestamps[i] = e.Timestamp;
            clients[i] = e.Client;
            sources[i] = e.Source;
            requested[i] = e.ModelRequested;
            served[i] = e.ModelServed;
            instances[i] = e.Instance;
            gpus[i] = e.Gpu;
            statuses[i] = (short)Math.Clamp(e.Status, short.MinValue, short.MaxValue);
            promptTokens[i] = e.PromptTokens;
            completionTokens[i] = e.CompletionTokens;
            estimated[i] = e.EstimatedPromptTokens;
            queueMs[i] = e.QueueMs;
            ttftMs[i] = e.TtftMs;
            durationMs[i] = e.DurationMs;
            coldStartMs[i] = e.ColdStartMs;
            userIds[i] = e.UserId;
            userNames[i] = e.UserName;
        }

        await using var command = dataSource.CreateCommand(UsageSql.InsertBatch);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = timestamps });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = clients });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = sources });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = requested });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = served });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = instances });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = gpus });
        p.Add(new NpgsqlParameter<short[]> { TypedValue = statuses });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = promptTokens });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = completionTokens });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = estimated });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = queueMs });
        p.Add(new NpgsqlParameter<int?[]> { TypedValue = ttftMs });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = durationMs });
        p.Add(new NpgsqlParameter<int?[]> { TypedValue = coldStartMs });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = userIds });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = userNames });
        return await command.ExecuteNonQueryAsync(ct);
    }
}
