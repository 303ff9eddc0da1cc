using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VllmSim.Tests.Support;
using static VllmSim.Tests.Api.SleepTests;

namespace VllmSim.Tests.Api;

/// <summary>What /sleep does to requests the engine already holds, mode by mode.</summary>
public sealed class SleepAbortTests
{
    [Fact]
    public async Task Sleep_AbortsAStreamInFlight_ItEndsWithFinishReasonAbortUsageAndDone()
    {
        await using var sim = await StartSleepy(o => o.ItlMs = 50);
        var clock = Stopwatch.StartNew();
        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions",
            Http.Chat("long story", "\"max_tokens\":200,\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        var reading = Sse.ReadAllAsync(response, clock);
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the stream running");
        await Task.Delay(120);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(sim, "/sleep"));
        var events = await reading.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(events[^1].IsDone);
        var chunks = events.SkipLast(1).Select(e => e.Json).ToList();
        var final = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("abort", final.GetProperty("finish_reason").GetString());
        Assert.Equal("{}", final.GetProperty("delta").GetRawText());
        var produced = chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        Assert.InRange(produced, 1, 199);
        Assert.Equal(1, sim.Stats.RequestsAborted);
        Assert.Contains("finished_reason=\"abort\"} 1", await sim.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sleep_AbortsPlainAndQueuedRequests_Each200WithAbort_AndLaterOnesAreParked()
    {
        await using var sim = await StartSleepy(o =>
        {
            o.ItlMs = 50;
            o.MaxNumSeqs = 1;
        });
        var running = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("first", "\"max_tokens\":200"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first running");
        var queued = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("second", "\"max_tokens\":5"));
        await Eventually.TrueAsync(() => sim.Stats.Waiting == 1, "the second queued");

        await PostAsync(sim, "/sleep");
        var (runningStatus, runningBody) = await running.WaitAsync(TimeSpan.FromSeconds(5));
        var (queuedStatus, queuedBody) = await queued.WaitAsync(TimeSpan.FromSeconds(5));
        var later = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("third", "\"max_tokens\":2"));
        await Eventually.TrueAsync(() => sim.Stats.Waiting == 1, "the third parked");

        Assert.Equal(HttpStatusCode.OK, runningStatus);
        Assert.Equal("abort", runningBody.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.NotEqual(string.Empty, runningBody.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(HttpStatusCode.OK, queuedStatus);
        Assert.Equal("abort", queuedBody.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, queuedBody.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.False(later.IsCompleted);
        await PostAsync(sim, "/wake_up");
        Assert.Equal("length", (await later.WaitAsync(TimeSpan.FromSeconds(5))).Body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task SleepModeWait_LetsTheRunningRequestFinishBeforeSleeping()
    {
        await using var sim = await StartSleepy(o => o.ItlMs = 20);
        var running = sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("finish me", "\"max_tokens\":10"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the request running");

        await PostAsync(sim, "/sleep?mode=wait");
        var (_, body) = await running.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(10, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(await IsSleepingAsync(sim));
    }

    [Fact]
    public async Task SleepModeKeep_FreezesTheStream_WhichResumesAfterTheWake()
    {
        await using var sim = await StartSleepy(o => o.ItlMs = 20);
        var clock = Stopwatch.StartNew();
        using var response = await sim.Client.PostStreamAsync("/v1/chat/completions", Http.Chat("keep me", "\"max_tokens\":30,\"stream\":true"));
        var reading = Sse.ReadAllAsync(response, clock);
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the stream running");

        await PostAsync(sim, "/sleep?mode=keep");
        await Task.Delay(200);
        var frozen = !reading.IsCompleted;
        await PostAsync(sim, "/wake_up");
        var events = await reading.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(frozen);
        Assert.Equal("length", events[^2].Json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(30, events.Count(e => !e.IsDone && e.Json.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) && c.GetString()!.Length > 0));
    }

    [Fact]
    public async Task Level2Wake_WithoutReload_WritesGarbage_UntilReloadAndPrefixCacheReset()
    {
        await using var sim = await StartSleepy(o => o.ReloadSeconds = 0.1);
        await PostAsync(sim, "/sleep?level=2");
        await PostAsync(sim, "/wake_up");

        var garbage = Text(await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hello", "\"max_tokens\":4")));
        var (rpcStatus, rpc) = await sim.Client.PostJsonAsync("/collective_rpc", """{"method":"reload_weights"}""");
        var stillTainted = Text(await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hello", "\"max_tokens\":4")));
        var resetStatus = await PostAsync(sim, "/reset_prefix_cache");
        var healthy = Text(await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hello", "\"max_tokens\":4")));

        Assert.Equal("!!!!", garbage);
        Assert.Equal(HttpStatusCode.OK, rpcStatus);
        Assert.Equal("""{"results":[null]}""", rpc.GetRawText());
        Assert.Equal("!!!!", stillTainted);
        Assert.Equal(HttpStatusCode.OK, resetStatus);
        Assert.DoesNotContain('!', healthy);
        Assert.Contains("Reloading weights inplace...", sim.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Level2Wake_ReloadBeforeAnyRequest_IsEnough()
    {
        await using var sim = await StartSleepy();
        await PostAsync(sim, "/sleep?level=2");
        await PostAsync(sim, "/wake_up");
        await sim.Client.PostJsonAsync("/collective_rpc", """{"method":"reload_weights"}""");

        var text = Text(await sim.Client.PostJsonAsync("/v1/chat/completions", Http.Chat("hello", "\"max_tokens\":4")));

        Assert.DoesNotContain('!', text);
    }

    [Theory]
    [InlineData("""{"args":[]}""", "Missing 'method' in request body", "Bad Request")]
    [InlineData("""not json""", "JSON decode error", "Bad Request")]
    [InlineData("""{"method":"save_sharded_state"}""", "reload_weights", "BadRequestError")]
    public async Task CollectiveRpc_BadBodies_Are400(string body, string expected, string type)
    {
        await using var sim = await StartSleepy();

        var (status, text, _) = await sim.Client.PostRawAsync("/collective_rpc", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(type, error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ReloadWeights_WhileTheWeightsSleep_Is400()
    {
        await using var sim = await StartSleepy();
        await PostAsync(sim, "/sleep?level=2");

        var (status, body) = await sim.Client.PostJsonAsync("/collective_rpc", """{"method":"reload_weights"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("/wake_up", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static string Text((HttpStatusCode Status, JsonElement Body) response) =>
        response.Body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
}
