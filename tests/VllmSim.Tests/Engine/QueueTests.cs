using System.Diagnostics;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Engine;

public sealed class QueueTests
{
    [Fact]
    public async Task Chat_MoreRequestsThanMaxNumSeqs_ExtraOnesWaitAndShowInMetrics()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.MaxNumSeqs = 2;
            o.TtftMs = 400;
        });

        var requests = Enumerable.Range(0, 5)
            .Select(i => sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat($"q{i}", "\"max_tokens\":1")))
            .ToList();
        await Eventually.TrueAsync(() => sim.Stats.Running == 2 && sim.Stats.Waiting == 3, "2 running and 3 waiting");
        var metrics = await sim.Client.GetStringAsync("/metrics");
        await Task.WhenAll(requests);

        Assert.Contains("vllm:num_requests_running{engine=\"0\",model_name=\"test-model\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("vllm:num_requests_waiting{engine=\"0\",model_name=\"test-model\"} 3", metrics, StringComparison.Ordinal);
        Assert.Matches("vllm:kv_cache_usage_perc\\{[^}]*\\} 0\\.0[0-9]+", metrics);
        await Eventually.TrueAsync(() => sim.Stats.RequestsCompleted == 5, "all five completed");
        Assert.Equal(0, sim.Stats.Waiting);
        Assert.Equal(0, sim.Stats.Running);
    }

    [Fact]
    public async Task Chat_QueuedBehindOneSlot_RunOneAfterAnother()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.MaxNumSeqs = 1;
            o.TtftMs = 200;
        });
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat($"s{i}", "\"max_tokens\":1"))));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(580), $"three serialized requests took {clock.ElapsedMilliseconds} ms");
    }
}
