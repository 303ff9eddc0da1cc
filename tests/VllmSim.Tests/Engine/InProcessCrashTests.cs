using System.Diagnostics;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Engine;

public sealed class InProcessCrashTests
{
    [Fact]
    public async Task ExitAfterRequests_NthStream_IsCutAfterItsFirstTokensAndThePortCloses()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.ExitAfterRequests = 2;
            o.ExitCode = 137;
            o.ItlMs = 20;
        });
        await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("first", "\"max_tokens\":3"));
        var clock = Stopwatch.StartNew();

        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("second", "\"max_tokens\":50,\"stream\":true"));
        var received = new List<SseEvent>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var e in Sse.ReadAsync(response, clock))
            {
                received.Add(e);
            }
        });

        Assert.NotNull(failure);
        Assert.DoesNotContain(received, e => e.IsDone);
        Assert.InRange(received.Count, 1, 3);
        Assert.Equal(137, await sim.Server.Exited.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(await FreePort.IsListeningAsync(sim.Server.Port));
        Assert.Equal(1, sim.Stats.RequestsCompleted);
        await Eventually.TrueAsync(() => sim.Stats.RequestsFailed == 1, "the victim lost by the server");
        var lastLine = sim.Log.ToString().TrimEnd().Split('\n')[^1];
        Assert.StartsWith("torch.OutOfMemoryError: CUDA out of memory.", lastLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitAfterRequests_NonStreamedVictim_GetsNoResponse()
    {
        await using var sim = await Sim.StartAsync(o => o.ExitAfterRequests = 1);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("x")));

        Assert.Equal(1, await sim.Server.Exited.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ExitAfterRequests_OtherOpenStreams_AreCutToo()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.ExitAfterRequests = 2;
            o.ItlMs = 30;
        });
        var clock = Stopwatch.StartNew();
        // A minute of tokens: still streaming whenever the victim's crash comes.
        using var survivor = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("one", "\"max_tokens\":2000,\"stream\":true"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first stream running");

        using var victim = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("two", "\"max_tokens\":200,\"stream\":true"));
        var survivorEvents = new List<SseEvent>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var e in Sse.ReadAsync(survivor, clock))
            {
                survivorEvents.Add(e);
            }
        });

        Assert.NotNull(failure);
        Assert.DoesNotContain(survivorEvents, e => e.IsDone);
        await sim.Server.Exited.WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => sim.Stats.RequestsFailed == 2, "both streams lost by the server");
        Assert.Equal(0, sim.Stats.RequestsCancelled);
    }
}
