using System.Net;
using System.Text.Json;
using Router.Tests.Fixtures;
using Router.Tests.Gpu;

namespace Router.Tests.Lifecycle;

/// <summary>What goes wrong around sleep mode, caused for real: wakes that fail, sleeps that free nothing, restarts, the night switch.</summary>
[Collection(DockerEngineCollection.Name)]
public class SleepFaultTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();
    private readonly SleepRouter _sleep;

    public SleepFaultTests() => _sleep = new SleepRouter(_docker);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _docker.DisposeAsync();
        _sleep.Dispose();
    }

    [Fact]
    public async Task FailingWake_StopsTheContainerAndTheRequestGetsAColdStart()
    {
        // The simulator answers /wake_up with a 500 and stays asleep, as a wake that hit CUDA OOM.
        var router = _sleep.Start(_sleep.Model("llama", args: ", \"--wake-fault\", \"error\""));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        var asleepId = Assert.Single(await DockerCli.ContainersAsync(llama));
        using (var sleep = await admin.PostAsync($"/admin/instances/{llama}/sleep", null)) await sleep.ExpectAsync(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => await SleepRouter.StateAsync(admin, llama) == "Sleeping"
            && (await client.GetStringAsync("/metrics")).Contains($"router_sleep_seconds_count{{instance=\"{llama}\"}} 1", StringComparison.Ordinal), "asleep");

        using var response = await client.PostChatAsync(Http.Chat("llama", "wake up"));

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", response.Header("X-Router-Cold-Start-Ms"));
        Assert.Equal("", response.Header("X-Router-Wake-Ms"));
        Assert.NotEqual(asleepId, Assert.Single(await DockerCli.ContainersAsync(llama)));
        var view = await SleepRouter.InstanceAsync(admin, llama);
        Assert.Equal("Ready", view.GetProperty("state").GetString());
    }

    [Fact]
    public async Task SleepThatFreesNoGpuMemory_StopsTheInstanceInstead_AndItIsNotSleptAgain()
    {
        // NVML (the fake library) keeps 4 GiB of GPU 0 in use whatever the container does.
        using var nvml = new FakeNvml("count=2", "gpu0.used_mib=4096");
        var router = _sleep.Start(_sleep.Model("llama", share: 0.15), tail: $"nvml: {{ library: \"{nvml.LibraryPath}\", pollInterval: 1s }}\n");
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();

        using (var sleep = await admin.PostAsync($"/admin/instances/{llama}/sleep", null)) await sleep.ExpectAsync(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => await SleepRouter.StateAsync(admin, llama) == "Stopped", "stopped after the check's bound", 30_000);

        var view = await SleepRouter.InstanceAsync(admin, llama);
        Assert.Contains("its sleep freed 0.00 GiB of GPU 0", view.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(await DockerCli.ContainersAsync(llama));
        using var again = await admin.PostAsync($"/admin/instances/{llama}/sleep", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("sleep_barred", (await Http.ErrorAsync(again)).GetProperty("code").GetString());
        // It still serves: the next request starts it cold.
        using var next = await client.PostChatAsync(Http.Chat("llama"));
        await next.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", next.Header("X-Router-Cold-Start-Ms"));
    }

    [Fact]
    public async Task RouterRestart_AdoptsASleepingContainerAsSleeping_AndTheNextRequestWakesIt()
    {
        var models = _sleep.Model("llama");
        var first = _sleep.Start(models);
        var llama = _docker.Name("llama_0");
        using (var client = first.Client(TestKeys.WebUi)) (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        using (var admin = first.Client(TestKeys.Admin))
        {
            using (var sleep = await admin.PostAsync($"/admin/instances/{llama}/sleep", null)) await sleep.ExpectAsync(HttpStatusCode.Accepted);
            await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/metrics")).Contains($"router_sleep_seconds_count{{instance=\"{llama}\"}} 1", StringComparison.Ordinal), "asleep");
        }
        var before = Assert.Single(await DockerCli.ContainersAsync(llama));
        await first.DisposeAsync();

        var second = _sleep.Start(models);
        using var client2 = second.Client(TestKeys.WebUi);
        using var admin2 = second.Client(TestKeys.Admin);
        await Eventually.TrueAsync(async () => (await client2.GetAsync("/ready")).IsSuccessStatusCode, "the restarted router is ready");
        Assert.Equal("Sleeping", await SleepRouter.StateAsync(admin2, llama));
        Assert.Contains("router_host_memory_sleeping_bytes 1073741824", await client2.GetStringAsync("/metrics"), StringComparison.Ordinal);

        using var response = await client2.PostChatAsync(Http.Chat("llama"));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", response.Header("X-Router-Wake-Ms"));
        Assert.Equal("", response.Header("X-Router-Cold-Start-Ms"));
        Assert.Equal(before, Assert.Single(await DockerCli.ContainersAsync(llama)));
    }

    [Fact]
    public async Task RouterRestart_AContainerAnsweringNeitherAsleepNorAwake_IsRemoved_AndTheNextRequestStartsCold()
    {
        var models = _sleep.Model("llama");
        var first = _sleep.Start(models);
        var llama = _docker.Name("llama_0");
        using (var client = first.Client(TestKeys.WebUi)) (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        var frozen = Assert.Single(await DockerCli.ContainersAsync(llama));
        await first.DisposeAsync();
        // Frozen: its port accepts connections but nothing answers /is_sleeping, as a vLLM caught
        // by the restart in the middle of a /sleep would not.
        await DockerCli.RunOnAsync(_docker.Endpoint, "pause", frozen);

        var second = _sleep.Start(models);
        using var client2 = second.Client(TestKeys.WebUi);
        using var admin2 = second.Client(TestKeys.Admin);
        await Eventually.TrueAsync(async () => (await client2.GetAsync("/ready")).IsSuccessStatusCode, "the restarted router is ready", 30_000);

        Assert.Equal("Stopped", await SleepRouter.StateAsync(admin2, llama));
        Assert.Empty(await DockerCli.ContainersAsync(llama));
        using var response = await client2.PostChatAsync(Http.Chat("llama"));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", response.Header("X-Router-Cold-Start-Ms"));
    }

    [Theory]
    [InlineData("0.05", "Sleeping")]
    [InlineData("0.06", "Stopped")]
    public async Task NightSwitch_SleepsTheLeavingInstanceWhenTheArrivingOneFitsBesideItsResidual(string residual, string expected)
    {
        var day = _sleep.Model("llama", sleep: $"level: 1, hostMemory: 1GiB, residualShare: {residual}", extra: "mode: day");
        var night = $$"""
          - name: qwen-72b
            mode: night
            image: {{DockerCli.SimImage}}
            hfModel: sim/qwen-72b
            instances:
              - { name: {{_docker.Name("qwen_72b_dual")}}, gpus: [0, 1], maxModelLen: 8192, maxConcurrent: 2, gpuMemoryUtilization: 0.95, preload: true }

        """;
        var schedule = "schedule: { timeZone: UTC, nightStart: \"0 0 2 1 1 ? 2099\", nightEnd: \"0 0 6 1 1 ? 2099\" }\n";
        var router = _sleep.Start(day + night, tail: schedule);
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var llama = _docker.Name("llama_0");
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        var llamaId = Assert.Single(await DockerCli.ContainersAsync(llama));

        using (var put = await admin.PutAsync("/admin/mode", Http.Json("""{"override":"night"}"""))) await put.ExpectAsync(HttpStatusCode.OK);
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/mode")).Contains("\"phase\":\"done\"", StringComparison.Ordinal), "the switch is done", 60_000);

        Assert.Equal(expected, await SleepRouter.StateAsync(admin, llama));
        Assert.Equal("Ready", await SleepRouter.StateAsync(admin, _docker.Name("qwen_72b_dual")));
        using var mode = JsonDocument.Parse(await admin.GetStringAsync("/admin/mode"));
        var slept = mode.RootElement.GetProperty("lastSwitch").GetProperty("slept").EnumerateArray().Select(e => e.GetString()).ToList();
        if (expected == "Sleeping")
        {
            Assert.Equal([llama], slept);
            Assert.Equal(llamaId, Assert.Single(await DockerCli.ContainersAsync(llama)));
        }
        else
        {
            Assert.Empty(slept);
            Assert.Empty(await DockerCli.ContainersAsync(llama));
        }
        // The one drain ends before the stop phase, which holds the sleep (0.2 s in the simulator) or the stop.
        var stopMs = mode.RootElement.GetProperty("lastSwitch").GetProperty("stopMs").GetDouble();
        Assert.True(expected == "Sleeping" ? stopMs >= 200 : stopMs > 0, $"stopMs {stopMs}");
    }

    [Fact]
    public async Task AdminSleep_ForAModelWithoutSleep_Is400_AndForAnUnknownInstance404()
    {
        var router = _sleep.Start(_sleep.Model("llama") + _docker.SimModel("plain", "plain_0", 1, 0.3));
        using var admin = router.Client(TestKeys.Admin);

        using var plain = await admin.PostAsync($"/admin/instances/{_docker.Name("plain_0")}/sleep", null);
        using var unknown = await admin.PostAsync("/admin/instances/nope/sleep", null);
        using var stopped = await admin.PostAsync($"/admin/instances/{_docker.Name("llama_0")}/sleep", null);
        using var wake = await admin.PostAsync($"/admin/instances/{_docker.Name("llama_0")}/wake", null);

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("sleep_not_configured", (await Http.ErrorAsync(plain)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_running", (await Http.ErrorAsync(stopped)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Accepted, wake.StatusCode);
        await Eventually.TrueAsync(async () => await SleepRouter.StateAsync(admin, _docker.Name("llama_0")) == "Ready", "the wake of a stopped instance starts it");
        using var user = router.Client(TestKeys.WebUi);
        using var refused = await user.PostAsync($"/admin/instances/{_docker.Name("llama_0")}/sleep", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Ready", await SleepRouter.StateAsync(admin, _docker.Name("llama_0")));
    }
}
