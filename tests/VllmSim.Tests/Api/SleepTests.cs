using System.Diagnostics;
using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class SleepTests
{
    [Fact]
    public async Task SleepThenWake_TakeTheirTimeAndFlipIsSleeping()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.SleepSeconds = 0.2;
            o.WakeSeconds = 0.3;
        });
        Assert.False((await sim.Client.GetJsonAsync("/is_sleeping")).GetProperty("is_sleeping").GetBoolean());

        var clock = Stopwatch.StartNew();
        using var slept = await sim.Client.PostAsync("/sleep?level=1", null);
        var sleepTook = clock.Elapsed;
        var asleep = (await sim.Client.GetJsonAsync("/is_sleeping")).GetProperty("is_sleeping").GetBoolean();
        clock.Restart();
        using var woke = await sim.Client.PostAsync("/wake_up", null);
        var wakeTook = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, slept.StatusCode);
        Assert.Equal(HttpStatusCode.OK, woke.StatusCode);
        Assert.True(asleep);
        Assert.True(sleepTook >= TimeSpan.FromMilliseconds(190), $"sleep took {sleepTook.TotalMilliseconds} ms");
        Assert.True(wakeTook >= TimeSpan.FromMilliseconds(290), $"wake took {wakeTook.TotalMilliseconds} ms");
        Assert.False((await sim.Client.GetJsonAsync("/is_sleeping")).GetProperty("is_sleeping").GetBoolean());
    }

    [Fact]
    public async Task Chat_WhileAsleep_WaitsUntilWokenUp()
    {
        await using var sim = await Sim.StartAsync();
        using (await sim.Client.PostAsync("/sleep", null))
        {
        }

        var chat = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("wake me"));
        await Eventually.TrueAsync(() => sim.Stats.Waiting == 1, "the chat waiting for the engine");
        Assert.False(chat.IsCompleted);
        using (await sim.Client.PostAsync("/wake_up", null))
        {
        }

        var (status, _) = await chat.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
