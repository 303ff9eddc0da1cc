using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Clients;

/// <summary>
/// clients[].tokensPerDay through a real router whose clock is a fake set in Europe/Berlin:
/// prompt plus completion tokens of the local day, checked when a request is admitted; once spent,
/// 429 budget_exceeded with Retry-After until local midnight, and whole again after it; a request
/// already in flight is never cut (it may overshoot). Stands for a runaway script with its own key.
/// </summary>
public sealed class TokenBudgetTests : IAsyncLifetime
{
    // 23:50 in Berlin (CET, UTC+1) on a winter day: ten minutes to midnight.
    private static readonly DateTimeOffset TenToMidnight = new(2026, 1, 14, 22, 50, 0, TimeSpan.Zero);
    private readonly Sims _sims = new();
    private readonly FakeTimeProvider _clock = new(TenToMidnight);
    private VllmSim.SimServer _llama = null!;

    public async Task InitializeAsync() => _llama = await _sims.StartAsync("llama", o => o.ItlMs = 1);

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private RouterFactory Router(long budget) => new($$"""
        {{TestKeys.ClientsYamlWith(n8n: $"tokensPerDay: {budget}")}}
        schedule: { timeZone: Europe/Berlin, nightStart: "0 0 2 * * ?", nightEnd: "0 0 6 * * ?" }
        models:
          - { name: llama, instances: [{ name: llama_1, gpus: [1], endpoint: "{{_llama.BaseAddress}}", maxModelLen: 8192, maxConcurrent: 4 }] }
        """, services => services.AddSingleton<TimeProvider>(_clock));

    private static async Task<long> TokensAsync(HttpResponseMessage response)
    {
        await response.ExpectAsync(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = doc.RootElement.GetProperty("usage");
        return usage.GetProperty("prompt_tokens").GetInt64() + usage.GetProperty("completion_tokens").GetInt64();
    }

    [Fact]
    public async Task SpentBudget_Is429UntilLocalMidnight_AndWholeAgainAfterIt()
    {
        using var router = Router(budget: 100);
        using var n8n = router.Client(TestKeys.N8n);
        long used = 0;
        var answered = 0;
        while (used < 100)
        {
            used += await TokensAsync(await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 30)));
            answered++;
        }
        // Counted as each request ends, which the client may see a moment before.
        await Eventually.TrueAsync(async () => await ClientState.TokensTodayAsync(router, "n8n") == used, "the router counted every token");

        using var refused = await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 1));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(10), refused.Headers.RetryAfter?.Delta);
        var error = await Http.ErrorAsync(refused);
        Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal($"Client 'n8n' has used its 100 tokens for today ({used} used). The budget renews at midnight (Europe/Berlin).",
            error.GetProperty("message").GetString());
        Assert.Equal(answered, _llama.Stats.RequestsStarted);
        var row = await ClientState.RowAsync(router, "n8n");
        Assert.Equal(100, row.GetProperty("tokensPerDay").GetInt64());
        Assert.Equal(used, await ClientState.GaugeAsync(router, "router_client_tokens_today", "n8n"));

        // Another key has no budget and is not held back.
        using var webui = router.Client(TestKeys.WebUi);
        Assert.True(await TokensAsync(await webui.PostChatAsync(Http.Chat("llama"))) > 0);

        // 23:59:59 is still the same day; one more second is midnight in Berlin (23:00 UTC).
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        using (var still = await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 1)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, still.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), still.Headers.RetryAfter?.Delta);
        }
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await ClientState.TokensTodayAsync(router, "n8n"));
        var today = await TokensAsync(await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 5)));
        await Eventually.TrueAsync(async () => await ClientState.TokensTodayAsync(router, "n8n") == today, "the new day counts from zero");
    }

    [Fact]
    public async Task RequestAdmittedUnderTheBudget_RunsToItsEnd_AndMayOvershoot()
    {
        using var router = Router(budget: 50);
        using var n8n = router.Client(TestKeys.N8n);
        var first = await TokensAsync(await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 10)));
        Assert.True(first < 50);
        await Eventually.TrueAsync(async () => await ClientState.TokensTodayAsync(router, "n8n") == first, "the first request is counted");

        // Admitted with budget left, it streams 200 tokens: far past the budget, and never cut.
        using var stream = await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 200, stream: true, usage: true));
        await stream.ExpectAsync(HttpStatusCode.OK);
        var text = await stream.Content.ReadAsStringAsync();
        Assert.Contains("\"completion_tokens\":200", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("budget_exceeded", text, StringComparison.Ordinal);

        await Eventually.TrueAsync(async () => await ClientState.TokensTodayAsync(router, "n8n") > 200, "the stream's tokens are counted");
        using var refused = await n8n.PostChatAsync(Http.Chat("llama", maxTokens: 1));
        Assert.Equal("budget_exceeded", (await Http.ErrorAsync(refused)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task StreamWithoutUsage_CountsTheRoutersPromptEstimate()
    {
        using var router = Router(budget: 1_000_000);
        using var n8n = router.Client(TestKeys.N8n);

        // No stream_options.include_usage: the backend reports no tokens for this answer.
        using var stream = await n8n.PostChatAsync(Http.Chat("llama", "a prompt of a few words for the estimate", maxTokens: 20, stream: true));
        await stream.ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("completion_tokens", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Eventually.TrueAsync(async () => await ClientState.TokensTodayAsync(router, "n8n") > 0, "the stream counted its prompt estimate");
        Assert.True(await ClientState.TokensTodayAsync(router, "n8n") < 20, "only the prompt estimate: the completion was not reported");
    }
}
