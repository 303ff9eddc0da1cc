using System.Diagnostics;
using VllmSim.Generation;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Engine;

/// <summary>
/// The simulated engine's timing: tokens never come before their due time (lower bounds only,
/// which a slow machine cannot break), headers do not wait for the first token, and no flag
/// means no wait at all. How fast the simulator answers is measured by scripts/bench.sh (its
/// "direct" column), not here.
/// </summary>
public sealed class TimingTests
{
    [Fact]
    public async Task ChatStream_TtftAndItl_FirstTokenNotBeforeTtftAndEachNextNotBeforeItsDueTime()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.TtftMs = 300;
            o.ItlMs = 50;
        });
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("timed", "\"max_tokens\":6,\"stream\":true"));
        var events = await Sse.ReadAllAsync(response, clock);

        var firstToken = events[1].At;
        Assert.True(firstToken >= TimeSpan.FromMilliseconds(290), $"first token after {firstToken.TotalMilliseconds} ms");
        // ttft + 5 more tokens * itl = 550 ms at least.
        var total = events[^1].At;
        Assert.True(total >= TimeSpan.FromMilliseconds(540), $"stream took {total.TotalMilliseconds} ms");
        // Token k is due at ttft + k * itl from scheduling: never early, whatever the timer slack.
        for (var k = 1; k <= 5; k++)
        {
            var due = TimeSpan.FromMilliseconds(300 + (k * 50) - 10);
            Assert.True(events[k + 1].At >= due, $"token {k} after {events[k + 1].At.TotalMilliseconds} ms, due {due.TotalMilliseconds}");
        }
    }

    [Fact]
    public async Task ChatStream_LongTtft_HeadersGoOutBeforeTheFirstToken()
    {
        // A first token a minute away: headers that waited for it would not be here.
        await using var sim = await Sim.StartAsync(o => o.TtftMs = 60_000);

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("slow", "\"max_tokens\":2,\"stream\":true"));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, sim.Stats.Running);
        var metrics = await sim.Client.GetStringAsync("/metrics");
        Assert.Contains("vllm:time_to_first_token_seconds_count{engine=\"0\",model_name=\"test-model\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_PrefillPerToken_AddsToTimeToFirstToken()
    {
        await using var sim = await Sim.StartAsync(o => o.PrefillUsPerToken = 2000);
        var prompt = string.Concat(Enumerable.Repeat("abc ", 100));
        var promptTokens = VllmSim.Engine.SimTokenizer.Count($"<|user|>\n{prompt}\n<|assistant|>\n");
        var clock = Stopwatch.StartNew();

        await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat(prompt, "\"max_tokens\":1"));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds((promptTokens * 2) - 10), $"took {clock.ElapsedMilliseconds} ms for {promptTokens} prompt tokens");
    }

    [Fact]
    public void NoTimingFlags_EveryTokenIsDueAtOnceAndNothingWaits()
    {
        var pacer = new Pacer(new SimOptions(), TimeProvider.System);
        var start = pacer.Now();

        Assert.Equal(TimeSpan.Zero, pacer.FirstToken(promptTokens: 100_000));
        Assert.Equal(TimeSpan.Zero, pacer.InterToken);
        Assert.True(pacer.WaitUntilAsync(start, pacer.FirstToken(100_000), CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(pacer.WaitUntilAsync(start, pacer.InterToken * 1000, CancellationToken.None).IsCompletedSuccessfully);
    }
}
