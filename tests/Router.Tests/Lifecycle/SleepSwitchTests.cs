using System.Globalization;
using System.Net;
using Router.Tests.Fixtures;

namespace Router.Tests.Lifecycle;

/// <summary>Switching between sleep-enabled models on one GPU, for real: simulator containers on the engine.</summary>
[Collection(DockerEngineCollection.Name)]
public class SleepSwitchTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();
    private readonly SleepRouter _sleep;

    public SleepSwitchTests() => _sleep = new SleepRouter(_docker);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _docker.DisposeAsync();
        _sleep.Dispose();
    }

    [Fact]
    public async Task AlternatingTwoModelsOnOneGpu_FromTheSecondSwitchOnEachWakesTheSameContainer()
    {
        var router = _sleep.Start(_sleep.Model("llama") + _sleep.Model("coder"));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        var coder = _docker.Name("coder_0");

        using (var first = await client.PostChatAsync(Http.Chat("llama"))) Assert.NotEqual("", first.Header("X-Router-Cold-Start-Ms"));
        var llamaId = Assert.Single(await DockerCli.ContainersAsync(llama));
        using (var second = await client.PostChatAsync(Http.Chat("coder"))) Assert.NotEqual("", second.Header("X-Router-Cold-Start-Ms"));
        var coderId = Assert.Single(await DockerCli.ContainersAsync(coder));
        Assert.Equal("Sleeping", await SleepRouter.StateAsync(admin, llama));

        for (var round = 0; round < 2; round++)
        {
            foreach (var (model, instance, id) in new[] { ("llama", llama, llamaId), ("coder", coder, coderId) })
            {
                using var response = await client.PostChatAsync(Http.Chat(model, $"round {round}"));
                await response.ExpectAsync(HttpStatusCode.OK);
                Assert.Equal("", response.Header("X-Router-Cold-Start-Ms"));
                Assert.True(int.Parse(response.Header("X-Router-Wake-Ms"), CultureInfo.InvariantCulture) >= 300, "the wake took the simulator's 0.3 s");
                Assert.Equal(id, Assert.Single(await DockerCli.ContainersAsync(instance)));
                Assert.Equal("Ready", await SleepRouter.StateAsync(admin, instance));
            }
        }
        var view = await SleepRouter.InstanceAsync(admin, llama);
        Assert.Equal("Sleeping", view.GetProperty("state").GetString());
        Assert.Equal(1, view.GetProperty("sleep").GetProperty("level").GetInt32());
        Assert.Equal(1L << 30, view.GetProperty("sleep").GetProperty("hostMemoryBytes").GetInt64());
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"router_wake_seconds_count{{instance=\"{llama}\"}} 2", metrics, StringComparison.Ordinal);
        Assert.Contains($"router_sleep_seconds_count{{instance=\"{llama}\"}} 3", metrics, StringComparison.Ordinal);
        Assert.Contains($"router_instance_state{{instance=\"{llama}\",state=\"Sleeping\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("router_host_memory_sleeping_bytes 1073741824", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThirdModel_PushesTheLeastRecentlyUsedSleeperOutOfTheHostBudget()
    {
        // Room for one sleeper's 1 GiB of weights, not two.
        var router = _sleep.Start(_sleep.Model("llama") + _sleep.Model("coder") + _sleep.Model("r1"), budget: "1536MiB");
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);

        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        (await client.PostChatAsync(Http.Chat("coder"))).Dispose();
        var coderId = Assert.Single(await DockerCli.ContainersAsync(_docker.Name("coder_0")));
        using var r1 = await client.PostChatAsync(Http.Chat("r1"));
        await r1.ExpectAsync(HttpStatusCode.OK);

        Assert.Empty(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
        Assert.Equal("Stopped", await SleepRouter.StateAsync(admin, _docker.Name("llama_0")));
        Assert.Equal("Sleeping", await SleepRouter.StateAsync(admin, _docker.Name("coder_0")));
        Assert.Equal(coderId, Assert.Single(await DockerCli.ContainersAsync(_docker.Name("coder_0"))));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"router_evictions_total{{instance=\"{_docker.Name("llama_0")}\",reason=\"host_memory\"}} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusyInstance_IsNeverPutToSleep_TheOtherStartWaitsForItsStream()
    {
        var router = _sleep.Start(_sleep.Model("llama", args: ", \"--itl-ms\", \"20\"") + _sleep.Model("coder"));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();

        // About three seconds of streaming keeps llama busy while coder asks for the GPU.
        using var streaming = await client.PostChatAsync(Http.Chat("llama", "long answer", stream: true, maxTokens: 150));
        var body = streaming.Content.ReadAsStringAsync();
        var coder = client.PostChatAsync(Http.Chat("coder"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("Ready", await SleepRouter.StateAsync(admin, _docker.Name("llama_0")));
        using var coderResponse = await coder;
        await coderResponse.ExpectAsync(HttpStatusCode.OK);

        var text = await body;
        Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"abort\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", text, StringComparison.Ordinal);
        Assert.Equal("Sleeping", await SleepRouter.StateAsync(admin, _docker.Name("llama_0")));
    }

    [Fact]
    public async Task RequestRacingASleep_WaitsAndIsServedAfterTheWake_NeverByTheSleepingServer()
    {
        var router = _sleep.Start(_sleep.Model("llama", args: ", \"--sleep-seconds\", \"2\""));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();

        using (var sleep = await admin.PostAsync($"/admin/instances/{llama}/sleep", null)) await sleep.ExpectAsync(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => await SleepRouter.StateAsync(admin, llama) == "Sleeping", "the sleep began");
        using var racing = await client.PostChatAsync(Http.Chat("llama", "are you there?"));

        await racing.ExpectAsync(HttpStatusCode.OK);
        var json = System.Text.Json.JsonDocument.Parse(await racing.Content.ReadAsStringAsync());
        Assert.Equal("stop", json.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.NotEqual("", racing.Header("X-Router-Wake-Ms"));
        Assert.Equal("Ready", await SleepRouter.StateAsync(admin, llama));
    }

    [Fact]
    public async Task StreamingClient_SeesWakingFeedbackWhileTheWakeTakesLong()
    {
        var router = _sleep.Start(_sleep.Model("llama", args: ", \"--wake-seconds\", \"3\""));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        using (var sleep = await admin.PostAsync($"/admin/instances/{llama}/sleep", null)) await sleep.ExpectAsync(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => (await SleepRouter.InstanceAsync(admin, llama)).GetProperty("state").GetString() == "Sleeping"
            && (await client.GetStringAsync("/metrics")).Contains($"router_sleep_seconds_count{{instance=\"{llama}\"}} 1", StringComparison.Ordinal), "asleep");

        using var stream = await client.PostChatAsync(Http.Chat("llama", "wake up", stream: true));
        var text = await stream.Content.ReadAsStringAsync();

        Assert.Contains($": waking {llama} on GPU 0", text, StringComparison.Ordinal);
        Assert.NotEqual("", stream.Header("X-Router-Wake-Ms"));
        Assert.Equal("", stream.Header("X-Router-Cold-Start-Ms"));
        Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleInstance_SleepsOnItsOwnAfterSleepAfter_AndIsStoppedAsleepAfterItsTtl()
    {
        var router = _sleep.Start(_sleep.Model("llama", sleep: "level: 1, hostMemory: 1GiB, after: 1s", extra: "ttl: 4s"));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        var id = Assert.Single(await DockerCli.ContainersAsync(llama));

        await Eventually.TrueAsync(async () => await SleepRouter.StateAsync(admin, llama) == "Sleeping", "asleep after sleep.after", 10_000);
        Assert.Equal(id, Assert.Single(await DockerCli.ContainersAsync(llama)));
        await Eventually.TrueAsync(async () => await SleepRouter.StateAsync(admin, llama) == "Stopped", "stopped after the ttl, asleep", 15_000);

        Assert.Empty(await DockerCli.ContainersAsync(llama));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"router_evictions_total{{instance=\"{llama}\",reason=\"ttl\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("router_host_memory_sleeping_bytes 0", metrics, StringComparison.Ordinal);
    }
}
