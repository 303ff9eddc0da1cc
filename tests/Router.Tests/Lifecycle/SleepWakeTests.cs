using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Router.Tests.Fixtures;
using Router.Tests.Gpu;

namespace Router.Tests.Lifecycle;

/// <summary>
/// Wakes through the router, caused for real on simulator containers: a wake with no room on the
/// GPU, a level-2 wake (weights reloaded), and a sleep whose freed memory NVML confirms.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public class SleepWakeTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();
    private readonly SleepRouter _sleep;

    public SleepWakeTests() => _sleep = new SleepRouter(_docker);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _docker.DisposeAsync();
        _sleep.Dispose();
    }

    [Fact]
    public async Task WakeWithNoRoom_BusyHolder_503NoGpuRoomAfterTheTimeout_StaysAsleep_ThenWakesOnceTheHolderIsIdle()
    {
        // llama gives a wake 3 s to find room; coder streams for about 8 s meanwhile (400 tokens, 20 ms apart).
        var router = _sleep.Start(_sleep.Model("llama", extra: "coldStartTimeout: 3s") + _sleep.Model("coder", args: ", \"--itl-ms\", \"20\""));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        var coder = _docker.Name("coder_0");
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        (await client.PostChatAsync(Http.Chat("coder"))).Dispose();
        Assert.Equal("Sleeping", await SleepRouter.StateAsync(admin, llama));
        var llamaId = Assert.Single(await DockerCli.ContainersAsync(llama));

        using var streaming = await client.PostChatAsync(Http.Chat("coder", "long answer", stream: true, maxTokens: 400));
        var body = streaming.Content.ReadAsStringAsync();
        await Eventually.TrueAsync(async () => (await SleepRouter.InstanceAsync(admin, coder)).GetProperty("inFlight").GetInt32() == 1, "coder streaming");
        using var refused = await client.PostChatAsync(Http.Chat("llama", "wake up"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotEqual("", refused.Header("Retry-After"));
        var error = await Http.ErrorAsync(refused);
        Assert.Equal("no_gpu_room", error.GetProperty("code").GetString());
        Assert.Contains($"held by {coder} (0.6, 1 busy)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(body.IsCompleted, "the 503 came while coder still streamed, not after");
        Assert.Equal("Sleeping", await SleepRouter.StateAsync(admin, llama));
        Assert.Equal(llamaId, Assert.Single(await DockerCli.ContainersAsync(llama)));
        Assert.EndsWith("data: [DONE]", (await body).TrimEnd(), StringComparison.Ordinal);

        // Idle now: coder is put to sleep and llama wakes in the same container.
        using var served = await client.PostChatAsync(Http.Chat("llama", "wake up"));
        await served.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", served.Header("X-Router-Wake-Ms"));
        Assert.Equal(llamaId, Assert.Single(await DockerCli.ContainersAsync(llama)));
        Assert.Equal("Sleeping", await SleepRouter.StateAsync(admin, coder));
    }

    [Fact]
    public async Task Level2Sleep_WokenByARequest_WeightsReloaded_SameAnswerAsBefore_WakeLoggedAndMetered()
    {
        var log = new LogCapture();
        var router = _sleep.Start(_sleep.Model("llama", sleep: "level: 2, residualShare: 0.05"), services: log.AddTo);
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        var question = Http.Chat("llama", "What is the capital of France?", maxTokens: 24);
        var before = await AnswerAsync(client, question);
        var id = Assert.Single(await DockerCli.ContainersAsync(llama));

        using (var sleep = await admin.PostAsync($"/admin/instances/{llama}/sleep", null)) await sleep.ExpectAsync(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => await SleepRouter.StateAsync(admin, llama) == "Sleeping"
            && (await client.GetStringAsync("/metrics")).Contains($"router_sleep_seconds_count{{instance=\"{llama}\"}} 1", StringComparison.Ordinal), "asleep");
        var asleep = await SleepRouter.InstanceAsync(admin, llama);
        Assert.Equal(2, asleep.GetProperty("sleep").GetProperty("level").GetInt32());
        Assert.Contains("router_host_memory_sleeping_bytes 0", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        using var woken = await client.PostChatAsync(question);

        await woken.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", woken.Header("X-Router-Wake-Ms"));
        Assert.Equal("", woken.Header("X-Router-Cold-Start-Ms"));
        // The simulator answers from garbage weights until reload_weights: the same answer proves the reload.
        Assert.Equal(before, Content(await woken.Content.ReadAsStringAsync()));
        Assert.Equal(id, Assert.Single(await DockerCli.ContainersAsync(llama)));
        Assert.Equal("Ready", await SleepRouter.StateAsync(admin, llama));
        Assert.Contains($"router_wake_seconds_count{{instance=\"{llama}\"}} 1", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains(log.Entries, e => e.Id.Id == 3033 && e.Level == LogLevel.Information && e.Message.StartsWith($"Woke {llama} in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SleepVerifiedThroughNvml_TheContainersMemoryComesFree_ItStaysAsleep_AndWakesOnTheNextRequest()
    {
        // 0.6 of 24 GiB while awake, 1000 MiB (its CUDA context) asleep: (0.6 - 0.05) must come free.
        using var nvml = new FakeNvml("count=2");
        var llama = _docker.Name("llama_0");
        await using var gpu = new SleepingGpu(nvml, llama, awakeMib: 14_800, asleepMib: 1000);
        var router = _sleep.Start(_sleep.Model("llama"), tail: $"nvml: {{ library: \"{nvml.LibraryPath}\", pollInterval: 1s }}\n");
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        var id = Assert.Single(await DockerCli.ContainersAsync(llama));
        await Eventually.TrueAsync(() => gpu.LastSeenAsleep == false, "NVML lists the awake container");

        using (var sleep = await admin.PostAsync($"/admin/instances/{llama}/sleep", null)) await sleep.ExpectAsync(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => (await client.GetStringAsync("/metrics")).Contains($"router_sleep_seconds_count{{instance=\"{llama}\"}} 1", StringComparison.Ordinal), "the sleep and its check ended", 30_000);

        var view = await SleepRouter.InstanceAsync(admin, llama);
        Assert.Equal("Sleeping", view.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("lastError").ValueKind);
        Assert.Equal(id, Assert.Single(await DockerCli.ContainersAsync(llama)));
        Assert.True(gpu.LastSeenAsleep, "NVML reported the sleeping container's memory");
        await Eventually.TrueAsync(async () => await UsedMibAsync(admin) == 1000, "the router's reading of GPU 0 shows the memory free");

        using var woken = await client.PostChatAsync(Http.Chat("llama", "wake up"));
        await woken.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", woken.Header("X-Router-Wake-Ms"));
        Assert.Equal(id, Assert.Single(await DockerCli.ContainersAsync(llama)));
        await Eventually.TrueAsync(async () => await UsedMibAsync(admin) == 14_800, "awake again, its memory back in use");
    }

    private static async Task<string> AnswerAsync(HttpClient client, string body)
    {
        using var response = await client.PostChatAsync(body);
        await response.ExpectAsync(HttpStatusCode.OK);
        return Content(await response.Content.ReadAsStringAsync());
    }

    private static string Content(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    private static async Task<long> UsedMibAsync(HttpClient admin)
    {
        using var doc = JsonDocument.Parse(await admin.GetStringAsync("/admin/gpus"));
        var gpu0 = doc.RootElement.GetProperty("gpus").EnumerateArray().Single(g => g.GetProperty("index").GetInt32() == 0);
        return gpu0.GetProperty("memoryUsedBytes").ValueKind == JsonValueKind.Number ? gpu0.GetProperty("memoryUsedBytes").GetInt64() >> 20 : -1;
    }
}
