using VllmSim.Tests.Support;

namespace VllmSim.Tests.Engine;

/// <summary>
/// The simulator's --max-num-seqs, watched through its own counters. The first token takes a
/// minute here, so a request keeps its slot (or its place in line) until the test cancels it:
/// what the tests look at cannot change while they look, however slow the machine.
/// </summary>
public sealed class QueueTests
{
    private const int HoldTtftMs = 60_000;

    [Fact]
    public async Task Chat_MoreRequestsThanMaxNumSeqs_ExtraOnesWaitAndShowInMetrics()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.MaxNumSeqs = 2;
            o.TtftMs = HoldTtftMs;
        });
        await using var running = await Requests.StartAsync(sim, 2, () => sim.Stats.Running == 2, "2 running");
        await using var waiting = await Requests.StartAsync(sim, 3, () => sim.Stats.Waiting == 3, "3 waiting");

        var metrics = await sim.Client.GetStringAsync("/metrics");
        Assert.Contains("vllm:num_requests_running{engine=\"0\",model_name=\"test-model\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("vllm:num_requests_waiting{engine=\"0\",model_name=\"test-model\"} 3", metrics, StringComparison.Ordinal);
        Assert.Matches("vllm:kv_cache_usage_perc\\{[^}]*\\} 0\\.0[0-9]+", metrics);

        // Two slots come free: two of the waiting take them, one still waits.
        await running.DisposeAsync();
        await Eventually.TrueAsync(() => sim.Stats.Running == 2 && sim.Stats.Waiting == 1, "2 running and 1 waiting after two left");
        await waiting.DisposeAsync();
        await Eventually.TrueAsync(() => sim.Stats.Running == 0 && sim.Stats.Waiting == 0, "nothing running or waiting once all left");
        Assert.Equal(5, sim.Stats.RequestsCancelled);
    }

    [Fact]
    public async Task Chat_QueuedBehindOneSlot_RunOneAfterAnother()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.MaxNumSeqs = 1;
            o.TtftMs = HoldTtftMs;
        });
        await using var first = await Requests.StartAsync(sim, 1, () => sim.Stats.Running == 1, "the first running");
        await using var second = await Requests.StartAsync(sim, 1, () => sim.Stats.Waiting == 1, "the second waiting");
        await using var third = await Requests.StartAsync(sim, 1, () => sim.Stats.Waiting == 2, "the third waiting");

        await first.DisposeAsync();
        await Eventually.TrueAsync(() => sim.Stats.Running == 1 && sim.Stats.Waiting == 1, "the second running, the third waiting");
        await second.DisposeAsync();
        await Eventually.TrueAsync(() => sim.Stats.Running == 1 && sim.Stats.Waiting == 0, "the third running alone");
    }

    /// <summary>Chat requests in flight until disposed, which cancels them as a client that leaves.</summary>
    private sealed class Requests : IAsyncDisposable
    {
        private readonly CancellationTokenSource cancel = new();
        private readonly List<Task> sent = [];

        public static async Task<Requests> StartAsync(Sim sim, int count, Func<bool> started, string what)
        {
            var requests = new Requests();
            for (var i = 0; i < count; i++)
            {
                requests.sent.Add(sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat($"q{i}", "\"max_tokens\":1"), requests.cancel.Token));
            }
            await Eventually.TrueAsync(started, what);
            return requests;
        }

        public async ValueTask DisposeAsync()
        {
            if (cancel.IsCancellationRequested) return;
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(sent));
            cancel.Dispose();
        }
    }
}
