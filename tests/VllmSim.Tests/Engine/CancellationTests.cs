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

        await Eventually.TrueAsync(() => sim.Stats.RequestsCancelled == 1, "the stream counted as cancelled");
        Assert.Equal(0, sim.Stats.Running);
        // Not generated to the end (1000 tokens at 50 ms): stopped when the client left.
        Assert.Equal(0, sim.Stats.RequestsCompleted);
    }

    [Fact]
    public async Task Chat_ClientGivesUpWhileWaiting_LeavesTheQueue()
    {
        // The first token takes a minute: the blocker holds the only slot until the test lets go.
        await using var sim = await Sim.StartAsync(o =>
        {
            o.MaxNumSeqs = 1;
            o.TtftMs = 60_000;
        });
        using var release = new CancellationTokenSource();
        var blocker = sim.Client.PostAsync("/v1/chat/completions", Http.Json(Http.Chat("first", "\"max_tokens\":1")), release.Token);
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first request running");

        using (var cts = new CancellationTokenSource())
        {
            var second = sim.Client.PostAsync("/v1/chat/completions", Http.Json(Http.Chat("second", "\"max_tokens\":1")), cts.Token);
            await Eventually.TrueAsync(() => sim.Stats.Waiting == 1, "the second request waiting");
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        }

        await Eventually.TrueAsync(() => sim.Stats.Waiting == 0 && sim.Stats.RequestsCancelled == 1, "the waiting request cancelled");
        Assert.Equal(1, sim.Stats.Running);
        await release.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocker);
    }
}
