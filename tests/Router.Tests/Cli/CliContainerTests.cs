using Router.Tests.Fixtures;
using Router.Tests.Lifecycle;

namespace Router.Tests.Cli;

/// <summary>start and stop --wait on an instance whose container the router starts on a real Docker engine.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class CliContainerTests : IAsyncLifetime
{
    private readonly DockerRouter _docker = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _docker.DisposeAsync();

    [Fact]
    public async Task StartWait_ReturnsOnceReady_StopWait_OnceStopped_StatusShowsEach()
    {
        var router = _docker.Start(_docker.Config(_docker.SimModel("llama", "llama_0", gpu: 0, share: 0.5, args: "\"--load-seconds\", \"1\"")));
        var cli = CliRunner.For(router.Start());
        var name = _docker.Name("llama_0");

        var before = await cli.RunAsync("status");
        Assert.Matches($@"\n{name} +llama +always +0 +Stopped +0/8 ", before.Out);

        var started = await cli.RunAsync("start", name, "--wait", "--timeout", "60s");
        Assert.True(started.Code == 0, started.Error);
        Assert.StartsWith($"{name}: Ready after ", started.Out, StringComparison.Ordinal);
        Assert.Single(await _docker.ContainersAsync(name));
        Assert.Matches($@"\n{name} +llama +always +0 +Ready +0/8 ", (await cli.RunAsync("status")).Out);

        var stopped = await cli.RunAsync("stop", name, "--wait", "--timeout", "60s");
        Assert.True(stopped.Code == 0, stopped.Error);
        Assert.StartsWith($"{name}: Stopped after ", stopped.Out, StringComparison.Ordinal);
        Assert.Empty(await _docker.ContainersAsync(name));
    }

    [Fact]
    public async Task StartWait_AContainerThatExits_ExitOne_WithTheRoutersError()
    {
        // The simulator refuses a negative latency and exits at once, as vLLM does on a bad flag.
        var router = _docker.Start(_docker.Config(_docker.SimModel("llama", "llama_0", gpu: 0, share: 0.5, args: "\"--ttft-ms\", \"-5\"")));
        var name = _docker.Name("llama_0");

        var result = await CliRunner.For(router.Start()).RunAsync("start", name, "--wait", "--timeout", "60s");

        Assert.Equal(GpuRouter.Cli.ExitCodes.Failed, result.Code);
        Assert.StartsWith($"gpu-router start: {name} is Failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("--ttft-ms", result.Error, StringComparison.Ordinal);
    }
}
