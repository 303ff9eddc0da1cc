using System.Diagnostics;
using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Api;

public sealed class SleepTests
{
    /// <summary>A simulator as the router starts a sleep-enabled model: the flag and VLLM_SERVER_DEV_MODE=1.</summary>
    internal static Task<Sim> StartSleepy(Action<SimOptions>? configure = null) => Sim.StartAsync(o =>
    {
        o.EnableSleepMode = true;
        o.ServerDevMode = true;
        configure?.Invoke(o);
    });

    internal static async Task<HttpStatusCode> PostAsync(Sim sim, string path)
    {
        using var response = await sim.Client.PostAsync(path, null);
        return response.StatusCode;
    }

    internal static async Task<bool> IsSleepingAsync(Sim sim) =>
        (await sim.Client.GetJsonAsync("/is_sleeping")).GetProperty("is_sleeping").GetBoolean();

    [Theory]
    [InlineData("/sleep")]
    [InlineData("/wake_up")]
    [InlineData("/collective_rpc")]
    [InlineData("/reset_prefix_cache")]
    public async Task DevRoutes_WithoutDevMode_Are404InFastApisShape(string path)
    {
        await using var sim = await Sim.StartAsync(o => o.EnableSleepMode = true);

        var (status, body, _) = await sim.Client.PostRawAsync(path, "{}");
        using var isSleeping = await sim.Client.GetAsync("/is_sleeping");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("""{"detail":"Not Found"}""", body);
        Assert.Equal(HttpStatusCode.NotFound, isSleeping.StatusCode);
    }

    [Theory]
    [InlineData("/sleep")]
    [InlineData("/wake_up")]
    public async Task SleepRoutes_DevModeWithoutEnableSleepMode_Are404AndTheEngineStaysAwake(string path)
    {
        await using var sim = await Sim.StartAsync(o => o.ServerDevMode = true);

        var (status, body, _) = await sim.Client.PostRawAsync(path, "{}");
        using var isSleeping = await sim.Client.GetAsync("/is_sleeping");
        var (chat, _) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("still awake"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("""{"detail":"Not Found"}""", body);
        Assert.Equal(HttpStatusCode.NotFound, isSleeping.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chat);
    }

    [Fact]
    public async Task ReloadRoutes_DevModeWithoutEnableSleepMode_StayMapped()
    {
        await using var sim = await Sim.StartAsync(o => o.ServerDevMode = true);

        var (status, _, _) = await sim.Client.PostRawAsync("/reset_prefix_cache", "");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task SleepThenWake_TakeTheirTimeFlipIsSleepingAndLogVllmsLines()
    {
        await using var sim = await StartSleepy(o =>
        {
            o.SleepSeconds = 0.2;
            o.WakeSeconds = 0.3;
        });
        Assert.False(await IsSleepingAsync(sim));

        var clock = Stopwatch.StartNew();
        var slept = await PostAsync(sim, "/sleep?level=1");
        var sleepTook = clock.Elapsed;
        var asleep = await IsSleepingAsync(sim);
        clock.Restart();
        var woke = await PostAsync(sim, "/wake_up");
        var wakeTook = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, slept);
        Assert.Equal(HttpStatusCode.OK, woke);
        Assert.True(asleep);
        Assert.True(sleepTook >= TimeSpan.FromMilliseconds(190), $"sleep took {sleepTook.TotalMilliseconds} ms");
        Assert.True(wakeTook >= TimeSpan.FromMilliseconds(290), $"wake took {wakeTook.TotalMilliseconds} ms");
        Assert.False(await IsSleepingAsync(sim));
        var log = sim.Log.ToString();
        Assert.Matches(@"INFO .* It took \d+\.\d{6} seconds to fall asleep\.", log);
        Assert.Contains("wake up the engine with tags: None", log, StringComparison.Ordinal);
        Assert.Matches(@"It took \d+\.\d{6} seconds to wake up tags \{'kv_cache', 'weights'\}\.", log);
    }

    [Fact]
    public async Task Chat_WhileAsleep_IsParkedUntilWokenUp()
    {
        await using var sim = await StartSleepy();
        await PostAsync(sim, "/sleep");

        var chat = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("wake me"));
        await Eventually.TrueAsync(() => sim.Stats.Waiting == 1, "the chat parked while the engine sleeps");
        Assert.False(chat.IsCompleted);
        await PostAsync(sim, "/wake_up");

        var (status, body) = await chat.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("/sleep?level=3", "level")]
    [InlineData("/sleep?level=deep", "level")]
    [InlineData("/sleep?mode=later", "Invalid pause mode: later")]
    public async Task Sleep_BadLevelOrMode_Is400AndLeavesTheEngineAwake(string path, string expected)
    {
        await using var sim = await StartSleepy();

        var (status, body) = await sim.Client.PostJsonAsync(path, "{}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var (chat, _) = await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("still awake"));
        Assert.Equal(HttpStatusCode.OK, chat);
    }

    [Fact]
    public async Task Metrics_EngineSleepState_FollowsTheLevel()
    {
        await using var sim = await StartSleepy();
        static string Sample(string text, string state) =>
            text.Split('\n').Single(l => l.StartsWith("vllm:engine_sleep_state{", StringComparison.Ordinal) && l.Contains($"sleep_state=\"{state}\"", StringComparison.Ordinal));

        var awake = await sim.Client.GetStringAsync("/metrics");
        await PostAsync(sim, "/sleep?level=2");
        var deep = await sim.Client.GetStringAsync("/metrics");

        Assert.EndsWith(" 1", Sample(awake, "awake"), StringComparison.Ordinal);
        Assert.EndsWith(" 0", Sample(deep, "awake"), StringComparison.Ordinal);
        Assert.EndsWith(" 0", Sample(deep, "weights_offloaded"), StringComparison.Ordinal);
        Assert.EndsWith(" 1", Sample(deep, "discard_all"), StringComparison.Ordinal);
        await using var plain = await Sim.StartAsync();
        Assert.DoesNotContain("vllm:engine_sleep_state", await plain.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WakeUp_ByTags_ResumesOnlyOnceEveryTagIsAwake()
    {
        await using var sim = await StartSleepy();
        await PostAsync(sim, "/sleep?level=1");
        var chat = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("tags"));
        await Eventually.TrueAsync(() => sim.Stats.Waiting == 1, "the chat parked");

        await PostAsync(sim, "/wake_up?tags=weights");
        var afterWeights = await IsSleepingAsync(sim);
        var parked = !chat.IsCompleted;
        await PostAsync(sim, "/wake_up?tags=kv_cache");

        Assert.True(afterWeights);
        Assert.True(parked);
        Assert.Equal(HttpStatusCode.OK, (await chat.WaitAsync(TimeSpan.FromSeconds(5))).Status);
        Assert.False(await IsSleepingAsync(sim));
        Assert.Contains("It took", sim.Log.ToString().Split('\n').Last(l => l.Contains("wake up tags", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SleepTwiceAndWakeTwice_AreHarmlessAndLogVllmsWarnings()
    {
        await using var sim = await StartSleepy();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(sim, "/wake_up"));
        await PostAsync(sim, "/sleep");
        Assert.Equal(HttpStatusCode.OK, await PostAsync(sim, "/sleep"));

        var log = sim.Log.ToString();
        Assert.Contains("WARNING", log, StringComparison.Ordinal);
        Assert.Contains("Executor is not sleeping.", log, StringComparison.Ordinal);
        Assert.Contains("Executor is already sleeping.", log, StringComparison.Ordinal);
        Assert.True(await IsSleepingAsync(sim));
    }
}
