using System.Diagnostics;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Engine;

public sealed class CancellationTests
{
    [Fact]
    public async Task ChatStream_ClientDisconnects_GenerationStopsAndCountsAsCancelled()
    {
        await using var sim = await Sim.StartAsync(o => o.ItlMs = 50);
        var clock = Stopwatch.StartNew();

        using (var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("long", "\"max_tokens\":1000,\"stream\":true")))
        {
            var received = 0;
            await foreach (var _ in Sse.ReadAsync(response, clock))
            {
                if (++received == 3)
                {
                    Assert.Equal(1, sim.Stats.Running);
                    break;
                }
            }
        }

        await Eventually.TrueAsync(() => sim.Stats.RequestsCancelled == 1, "the stream counted as cancelled", seconds: 2);
        Assert.Equal(0, sim.Stats.Running);
        Assert.Equal(0, sim.Stats.RequestsCompleted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "1000 tokens at 50 ms were not generated");
    }

    [Fact]
    public async Task Chat_ClientGivesUpWhileWaiting_LeavesTheQueue()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.MaxNumSeqs = 1;
            o.TtftMs = 2000;
        });
        var blocker = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("first", "\"max_tokens\":1"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first request running");

        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                sim.Client.PostAsync("/v1/chat/completions", Http.Json(Http.Chat("second", "\"max_tokens\":1")), cts.Token));
        }

        await Eventually.TrueAsync(() => sim.Stats.Waiting == 0 && sim.Stats.RequestsCancelled == 1, "the waiting request cancelled", seconds: 2);
        await blocker;
    }
}
