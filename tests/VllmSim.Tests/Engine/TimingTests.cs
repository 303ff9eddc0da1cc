using System.Diagnostics;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Engine;

public sealed class TimingTests
{
    [Fact]
    public async Task ChatStream_TtftAndItl_FirstTokenNotBeforeTtftAndTotalFollowsItl()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.TtftMs = 300;
            o.ItlMs = 50;
        });
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("timed", "\"max_tokens\":6,\"stream\":true"));
        var headersAt = clock.Elapsed;
        var events = await Sse.ReadAllAsync(response, clock);

        // Headers go out at once, as vLLM starts its SSE response before the first token.
        Assert.True(headersAt < TimeSpan.FromMilliseconds(280), $"headers after {headersAt.TotalMilliseconds} ms");
        var firstToken = events[1].At;
        Assert.True(firstToken >= TimeSpan.FromMilliseconds(290), $"first token after {firstToken.TotalMilliseconds} ms");
        var total = events[^1].At;
        // ttft + 5 more tokens * itl = 550 ms at least; generous above for a loaded CI box.
        Assert.True(total >= TimeSpan.FromMilliseconds(540), $"stream took {total.TotalMilliseconds} ms");
        Assert.True(total < TimeSpan.FromMilliseconds(2500), $"stream took {total.TotalMilliseconds} ms");
        // Token k is due at ttft + k * itl from scheduling: never early, whatever the timer slack.
        for (var k = 1; k <= 5; k++)
        {
            var due = TimeSpan.FromMilliseconds(300 + (k * 50) - 10);
            Assert.True(events[k + 1].At >= due, $"token {k} after {events[k + 1].At.TotalMilliseconds} ms, due {due.TotalMilliseconds}");
        }
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
    public async Task Chat_NoTimingFlags_AnswersAtOnce()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("warm up"));
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 50; i++)
        {
            await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat($"quick {i}"));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"50 chats took {clock.ElapsedMilliseconds} ms");
    }
}
