using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Router.Tests.Usage;

namespace Router.Tests.Clients;

/// <summary>
/// The per-client and per-user features with a real PostgreSQL: tokensPerDay survives a router
/// restart (today's earlier usage is read at start-up, yesterday's is not), and Open WebUI's user
/// lands in usage_events' user columns (never the e-mail) and in /admin/usage?by=user&amp;since
/// across restarts.
/// </summary>
public sealed class ClientUsagePostgresTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly Sims _sims = new();
    private VllmSim.SimServer _llama = null!;

    public async Task InitializeAsync() => _llama = await _sims.StartAsync("llama");

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private RouterFactory Router(string cs) => new($$"""
        {{TestKeys.ClientsYamlWith(webui: "trustUserHeaders: true", n8n: "tokensPerDay: 120")}}
        schedule: { timeZone: Europe/Berlin }
        models:
          - { name: llama, instances: [{ name: llama_1, gpus: [1], endpoint: "{{_llama.BaseAddress}}", maxConcurrent: 4 }] }
        usage: { postgres: "{{cs}}" }
        """, services => services.AddSingleton(UsageRouter.FastOptions));

    private static async Task<long> TokensAsync(HttpResponseMessage response)
    {
        await response.ExpectAsync(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = doc.RootElement.GetProperty("usage");
        return usage.GetProperty("prompt_tokens").GetInt64() + usage.GetProperty("completion_tokens").GetInt64();
    }

    [Fact]
    public async Task TokensPerDay_SurvivesARestart_YesterdaysRowsDoNotCount()
    {
        var cs = await cluster.CreateDatabaseAsync();
        long used = 0;
        using (var first = Router(cs))
        {
            using var n8n = first.Client(TestKeys.N8n);
            for (var i = 0; i < 2; i++) used += await TokensAsync(await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 30)));
            await UsageDb.WaitForCountAsync(cs, 2);
        }
        Assert.InRange(used, 1, 119);
        // A big day of n8n's, yesterday in Berlin: not part of today's budget.
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO usage_events (event_id, ts, client, source, status, prompt_tokens, completion_tokens, estimated_prompt_tokens, queue_ms, duration_ms)
                VALUES (gen_random_uuid(), now() - interval '2 days', 'n8n', 'batch', 200, 100000, 100000, 1, 0, 1)
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        using var second = Router(cs);
        Assert.Equal(used, await ClientState.TokensTodayAsync(second, "n8n"));
        using var again = second.Client(TestKeys.N8n);
        while (used < 120) used += await TokensAsync(await again.PostChatAsync(Http.Chat("llama", maxTokens: 30)));
        await Eventually.TrueAsync(async () => await ClientState.TokensTodayAsync(second, "n8n") == used, "the second run counted its tokens on top");
        using var refused = await again.PostChatAsync(Http.Chat("llama", maxTokens: 1));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("budget_exceeded", (await Http.ErrorAsync(refused)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task OpenWebUiUser_IsStoredWithoutTheEmail_AndByUserSinceReadsItAcrossRestarts()
    {
        var cs = await cluster.CreateDatabaseAsync();
        long tokens;
        using (var first = Router(cs))
        {
            using var webui = first.Client(TestKeys.WebUi);
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Http.Json(Http.Chat("llama")) };
            request.Headers.Add("X-OpenWebUI-User-Id", "u-17");
            request.Headers.Add("X-OpenWebUI-User-Name", "Ana%20Lima");
            request.Headers.Add("X-OpenWebUI-User-Email", "ana@example.com");
            tokens = await TokensAsync(await webui.SendAsync(request));
            await UsageDb.WaitForCountAsync(cs, 1);
        }

        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT user_id, user_name, position('ana@example.com' in e::text) FROM usage_events e", connection);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("u-17", reader.GetString(0));
            Assert.Equal("Ana Lima", reader.GetString(1));
            Assert.Equal(0, reader.GetInt32(2));
        }

        using var second = Router(cs);
        using var admin = second.Client(TestKeys.Admin);
        var stored = await admin.GetFromJsonAsync<JsonElement>("/admin/usage?by=user&since=1h");
        Assert.Equal("postgres", stored.GetProperty("from").GetString());
        var row = Assert.Single(stored.GetProperty("rows").EnumerateArray());
        Assert.Equal("u-17", row.GetProperty("user").GetString());
        Assert.Equal("Ana Lima", row.GetProperty("name").GetString());
        Assert.Equal(1, row.GetProperty("requests").GetInt64());
        Assert.Equal(tokens, row.GetProperty("promptTokens").GetInt64() + row.GetProperty("completionTokens").GetInt64());
        // Without since: this run's totals in memory, which has seen nobody yet.
        var memory = await admin.GetFromJsonAsync<JsonElement>("/admin/usage?by=user");
        Assert.Equal("memory", memory.GetProperty("from").GetString());
        Assert.Empty(memory.GetProperty("rows").EnumerateArray());
    }
}
