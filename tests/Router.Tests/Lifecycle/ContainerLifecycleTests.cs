using System.Net;
using System.Text.Json;
using Router.Tests.Fixtures;

namespace Router.Tests.Lifecycle;

[Collection(DockerEngineCollection.Name)]
public class ContainerLifecycleTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _docker.DisposeAsync();

    private string Llama(string instance, string args = "", string ttl = "10m", int maxConcurrent = 4, double share = 0.5) => $$"""
          - name: llama
            image: {{DockerCli.SimImage}}
            hfModel: sim/llama
            ttl: {{ttl}}
            args: [{{args}}]
            instances:
              - { name: {{_docker.Name(instance)}}, gpus: [0], maxModelLen: 8192, maxConcurrent: {{maxConcurrent}}, gpuMemoryUtilization: {{share}} }
        """;

    [Fact]
    public async Task FirstRequest_ColdStartsTheContainerAndAnswers()
    {
        var router = _docker.Start(_docker.Config(Llama("llama_0", "\"--load-seconds\", \"1\"")));
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.True(int.Parse(response.Header("X-Router-Cold-Start-Ms"), System.Globalization.CultureInfo.InvariantCulture) >= 1000);
        Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
        using var again = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal("", again.Header("X-Router-Cold-Start-Ms"));
    }

    [Fact]
    public async Task TwentySimultaneousFirstRequests_CreateExactlyOneContainer()
    {
        var router = _docker.Start(_docker.Config(Llama("llama_0", "\"--load-seconds\", \"1\"")));
        using var client = router.Client(TestKeys.WebUi);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.PostChatAsync(Http.Chat("llama", $"request {i}"))));
        foreach (var r in responses) await r.ExpectAsync(HttpStatusCode.OK);
        Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
        foreach (var r in responses) r.Dispose();
    }

    [Fact]
    public async Task IdlePastTtl_ContainerIsStoppedAndNextRequestStartsItAgain()
    {
        var router = _docker.Start(_docker.Config(Llama("llama_0", ttl: "1s")));
        using var client = router.Client(TestKeys.WebUi);
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        await Eventually.TrueAsync(async () => (await DockerCli.ContainersAsync(_docker.Name("llama_0"))).Length == 0, "the idle container is removed", 15_000);
        using var again = await client.PostChatAsync(Http.Chat("llama"));
        await again.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", again.Header("X-Router-Cold-Start-Ms"));
    }

    [Fact]
    public async Task RequestsArrivingAsTheTtlExpires_NeverFail()
    {
        // llama-swap issue 946 hung here: a stop and a request at the same moment. Requests keep
        // arriving around the 1 s TTL; each either keeps the container or waits for a fresh start.
        var router = _docker.Start(_docker.Config(Llama("llama_0", ttl: "1s")));
        using var client = router.Client(TestKeys.WebUi);
        var random = new Random(946);
        var coldStarts = 0;
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.PostChatAsync(Http.Chat("llama", $"request {i}"));
            await response.ExpectAsync(HttpStatusCode.OK);
            if (response.Header("X-Router-Cold-Start-Ms") != "") coldStarts++;
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(850, 1400)));
        }
        Assert.InRange(coldStarts, 2, 10);
    }

    [Fact]
    public async Task StreamingColdStart_ShowsLoadingProgressThenTheAnswer()
    {
        var router = _docker.Start(_docker.Config(Llama("llama_0", "\"--load-seconds\", \"5\"")));
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama", "hello", stream: true, maxTokens: 4));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(_docker.Name("llama_0"), response.Header("X-Router-Instance"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($": loading {_docker.Name("llama_0")} on GPU 0, ", text, StringComparison.Ordinal);
        Assert.Contains("\"reasoning_content\":\"Loading ", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageThatExitsAtOnce_Is503NamingItsLogLine()
    {
        var router = _docker.Start(_docker.Config(Llama("llama_0", "\"--max-num-seqs\", \"many\"")));
        using var client = router.Client(TestKeys.WebUi);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var message = (await Http.ErrorAsync(response)).GetProperty("message").GetString()!;
        Assert.Contains("exited with code", message, StringComparison.Ordinal);
        Assert.Contains("many", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrashMidStream_ClientGetsErrorFrameAndNextRequestRestarts()
    {
        // The simulator dies during its second request, as vLLM does when CUDA runs out of memory.
        var router = _docker.Start(_docker.Config(Llama("llama_0", "\"--exit-after-requests\", \"2\", \"--exit-code\", \"1\", \"--itl-ms\", \"20\"", maxConcurrent: 4)));
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        (await client.PostChatAsync(Http.Chat("llama", "warm up"))).Dispose();
        var first = Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
        using (var response = await client.PostChatAsync(Http.Chat("llama", "crash", stream: true, maxTokens: 200)))
        {
            var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("data: [DONE]", events[^1]);
            Assert.StartsWith("data: {\"error\":", events[^2], StringComparison.Ordinal);
        }
        await Eventually.TrueAsync(async () => (await InstanceAsync(admin)).GetProperty("restarts").GetInt32() == 1, "the crash is recorded");
        var instance = await InstanceAsync(admin);
        Assert.Equal("Failed", instance.GetProperty("state").GetString());
        // "CUDA out of memory" in its last lines: the concurrency is halved.
        Assert.Equal(2, instance.GetProperty("limit").GetInt32());
        Assert.Contains("out of memory", instance.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        using var next = await client.PostChatAsync(Http.Chat("llama"));
        await next.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("", next.Header("X-Router-Cold-Start-Ms"));
        Assert.NotEqual(first, Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0"))));
    }

    [Fact]
    public async Task RouterRestart_AdoptsTheRunningContainerWithoutColdStart()
    {
        var config = _docker.Config(Llama("llama_0"));
        var first = _docker.Start(config);
        using (var client = first.Client(TestKeys.WebUi)) (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        var before = Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
        await first.DisposeAsync();

        var second = _docker.Start(config);
        using var client2 = second.Client(TestKeys.WebUi);
        await Eventually.TrueAsync(async () => (await client2.GetAsync("/ready")).IsSuccessStatusCode, "the restarted router is ready");
        using var response = await client2.PostChatAsync(Http.Chat("llama"));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("", response.Header("X-Router-Cold-Start-Ms"));
        Assert.Equal(before, Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0"))));
    }

    [Fact]
    public async Task ChangedSpec_IsRecreatedOnNextDemand()
    {
        var first = _docker.Start(_docker.Config(Llama("llama_0")));
        using (var client = first.Client(TestKeys.WebUi)) (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        var before = Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
        await first.DisposeAsync();

        var second = _docker.Start(_docker.Config(Llama("llama_0", "\"--ttft-ms\", \"5\"")));
        using var client2 = second.Client(TestKeys.WebUi);
        await Eventually.TrueAsync(async () => (await client2.GetAsync("/ready")).IsSuccessStatusCode, "the restarted router is ready");
        using var response = await client2.PostChatAsync(Http.Chat("llama"));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(before, Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0"))));
    }

    [Fact]
    public async Task DockerUnreachable_ReadyIs503AndRequestsGetAClear503()
    {
        var router = _docker.Start(_docker.Config(Llama("llama_0"), docker: ", endpoint: \"unix:///tmp/no-such-docker.sock\""));
        using var client = router.Client(TestKeys.WebUi);
        using var ready = await client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var response = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Docker", (await Http.ErrorAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminStartThenStop_PreloadsAndDrainsTheContainer()
    {
        var router = _docker.Start(_docker.Config(Llama("llama_0", "\"--itl-ms\", \"20\"")));
        using var admin = router.Client(TestKeys.Admin);
        using var client = router.Client(TestKeys.WebUi);
        var name = _docker.Name("llama_0");
        using (var start = await admin.PostAsync($"/admin/instances/{name}/start", null)) Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        await Eventually.TrueAsync(async () => (await InstanceAsync(admin)).GetProperty("state").GetString() == "Ready", "the preload is ready", 30_000);

        // A stream in flight when the stop arrives finishes first: drain, then stop.
        using var streaming = await client.PostChatAsync(Http.Chat("llama", "drain me", stream: true, maxTokens: 60));
        var body = streaming.Content.ReadAsStringAsync();
        using (var stop = await admin.PostAsync($"/admin/instances/{name}/stop", null)) Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        var text = await body;
        Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", text, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await InstanceAsync(admin)).GetProperty("state").GetString() == "Stopped", "the instance is stopped", 30_000);
        Assert.Empty(await DockerCli.ContainersAsync(name));
        using var unknown = await admin.PostAsync("/admin/instances/nope/stop", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<JsonElement> InstanceAsync(HttpClient admin)
    {
        using var doc = JsonDocument.Parse(await admin.GetStringAsync("/admin/instances"));
        return doc.RootElement.GetProperty("instances")[0].Clone();
    }
}
