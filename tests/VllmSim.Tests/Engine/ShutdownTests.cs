using System.Diagnostics;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Engine;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_WithOpenStream_EndsTheStreamAndStops()
    {
        var sim = await Sim.StartAsync(o => o.ItlMs = 100);
        var clock = Stopwatch.StartNew();
        // 5000 tokens at 100 ms: a stop that waited for the stream would not return for minutes.
        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("endless", "\"max_tokens\":5000,\"stream\":true"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the stream running");
        var reading = Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in Sse.ReadAsync(response, clock))
            {
            }
        });

        await sim.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(await reading.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, sim.Stats.RequestsCompleted);
        Assert.Equal(0, await sim.Server.Exited);
        Assert.False(await FreePort.IsListeningAsync(sim.Server.Port));
    }
}
