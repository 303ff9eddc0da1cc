using System.Net;
using Router.Tests.Fixtures;

namespace Router.Tests.Lifecycle;

[Collection(DockerEngineCollection.Name)]
public class EvictionTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _docker.DisposeAsync();

    // Two models that cannot share GPU 0 (0.6 + 0.6 > 1.0).
    private string Config() => _docker.Config($$"""
          - name: llama
            image: {{DockerCli.SimImage}}
            hfModel: sim/llama
            args: ["--itl-ms", "20"]
            instances:
              - { name: {{_docker.Name("llama_0")}}, gpus: [0], maxModelLen: 8192, maxConcurrent: 4, gpuMemoryUtilization: 0.6 }
          - name: coder
            image: {{DockerCli.SimImage}}
            hfModel: sim/coder
            instances:
              - { name: {{_docker.Name("coder_0")}}, gpus: [0], maxModelLen: 8192, maxConcurrent: 4, gpuMemoryUtilization: 0.6 }
        """);

    [Fact]
    public async Task FullGpu_IdleInstanceIsStoppedToStartTheNewOne()
    {
        var router = _docker.Start(Config());
        using var client = router.Client(TestKeys.WebUi);
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        Assert.Single(await DockerCli.ContainersAsync(_docker.Name("llama_0")));

        using var coder = await client.PostChatAsync(Http.Chat("coder"));
        await coder.ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
        Assert.Single(await DockerCli.ContainersAsync(_docker.Name("coder_0")));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"router_evictions_total{{instance=\"{_docker.Name("llama_0")}\",reason=\"vram\"}} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullGpu_BusyInstanceIsWaitedForNotStopped()
    {
        var router = _docker.Start(Config());
        using var client = router.Client(TestKeys.WebUi);
        (await client.PostChatAsync(Http.Chat("llama"))).Dispose();
        // About three seconds of streaming keeps llama busy while coder asks for the GPU.
        var stream = client.PostChatAsync(Http.Chat("llama", "long answer", stream: true, maxTokens: 150));
        using var streaming = await stream;
        var body = streaming.Content.ReadAsStringAsync();
        using var coder = await client.PostChatAsync(Http.Chat("coder"));
        await coder.ExpectAsync(HttpStatusCode.OK);
        var text = await body;
        Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", text, StringComparison.Ordinal);
        // The coder's start waited for the stream to finish, then stopped llama.
        Assert.True(int.Parse(coder.Header("X-Router-Cold-Start-Ms"), System.Globalization.CultureInfo.InvariantCulture) >= 1500);
        Assert.Empty(await DockerCli.ContainersAsync(_docker.Name("llama_0")));
    }
}
