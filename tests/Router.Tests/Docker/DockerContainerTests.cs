using GpuRouter.Hosting;
using System.Diagnostics;
using System.Net;
using Docker.DotNet.Models;
using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Lifecycle;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

[Collection(DockerEngineCollection.Name)]
public sealed class DockerContainerTests : IAsyncLifetime
{
    private readonly DockerEngineClient _client = DockerTestImage.CreateClient();
    private readonly TestContainers _containers;

    public DockerContainerTests() => _containers = new TestContainers(_client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task Container_CreateStartStopWaitRemove_EachStepAsTheDaemonReports()
    {
        var labels = new Dictionary<string, string> { ["gpu-router-test.role"] = "lifecycle" };
        var (id, name) = await _containers.CreateAsync(["out", "ready", "sleep", "30000"], extraLabels: labels);

        Assert.True(await _client.StartContainerAsync(id, default));
        Assert.False(await _client.StartContainerAsync(id, default));

        var running = await _client.InspectContainerAsync(name, default);
        Assert.NotNull(running);
        Assert.Equal(id, running.ID);
        Assert.Equal("/" + name, running.Name);
        Assert.True(running.State!.Running);
        Assert.Equal("running", running.State.Status);
        Assert.False(IsNever(running.State.StartedAt));
        Assert.True(IsNever(running.State.FinishedAt));
        Assert.Equal(DockerTestImage.Tag, running.Config!.Image);
        Assert.Equal("lifecycle", running.Config.Labels?["gpu-router-test.role"]);
        Assert.Equal(_containers.RunId, running.Config.Labels?[TestContainers.RunLabel]);
        Assert.Equal("none", running.HostConfig?.NetworkMode);

        // Exit 0 below, not 137: the app ended on SIGTERM, the daemon did not have to kill it.
        Assert.True(await _client.StopContainerAsync(id, TimeSpan.FromSeconds(10), default));
        Assert.False(await _client.StopContainerAsync(id, TimeSpan.FromSeconds(10), default));
        Assert.Equal(0, await _client.WaitContainerAsync(id, default));

        var stopped = await _client.InspectContainerAsync(id, default);
        Assert.False(stopped!.State!.Running);
        Assert.Equal(0, stopped.State.ExitCode);
        Assert.False(IsNever(stopped.State.FinishedAt));
        Assert.Equal("ready\n", await _client.GetLogsTailAsync(id, 10, default));

        Assert.True(await _client.RemoveContainerAsync(id, force: false, ignoreMissing: false, default));
        Assert.Null(await _client.InspectContainerAsync(id, default));
    }

    [Fact]
    public async Task CreateContainer_RoutersSpec_DaemonKeepsWhatItWasSent()
    {
        // The router's own spec for two GPUs with a published port, created (not started: there is
        // no GPU and no bridge here) and read back: what the package put on the wire, as the daemon understood it.
        var settings = ConfigLoader.Load($$"""
            docker: { hfCache: /srv/hf-cache }
            models:
              - name: m
                image: {{DockerTestImage.Tag}}
                hfModel: org/m
                instances:
                  - { name: m_01, gpus: [0, 1] }
            """, "test.yaml", _ => null);
        var spec = new ContainerSpecFactory(settings.Docker, "owner123", _ => null).Create(settings.Instances.Single(), 18007).Spec;

        var (id, _) = await _containers.CreateAsync(spec);

        var created = (await _client.InspectContainerAsync(id, default))!;
        var host = created.HostConfig!;
        var binding = Assert.Single(host.PortBindings["8000/tcp"]);
        Assert.Equal(("127.0.0.1", "18007"), (binding.HostIP, binding.HostPort));
        Assert.Equal(["8000/tcp"], created.Config!.ExposedPorts!.Keys);
        var gpus = Assert.Single(host.DeviceRequests);
        Assert.Equal("nvidia", gpus.Driver);
        Assert.Equal(["0", "1"], gpus.DeviceIDs);
        Assert.Equal(["gpu"], Assert.Single(gpus.Capabilities));
        Assert.Equal("host", host.IpcMode);
        Assert.Equal(RestartPolicyKind.No, host.RestartPolicy.Name);
        Assert.Equal(["/srv/hf-cache:/root/.cache/huggingface"], host.Binds);
        Assert.Equal(spec.Cmd, created.Config.Cmd);
        Assert.Equal("m_01", created.Config.Labels["gpu-router.instance"]);
        Assert.Equal("owner123", created.Config.Labels["gpu-router.owner"]);
    }

    [Fact]
    public async Task StopContainer_ContainerIgnoresSigterm_KilledAfterGracePeriod()
    {
        var (id, _) = await _containers.RunAsync(["ignore-term", "sleep", "30000"]);

        var stopwatch = Stopwatch.StartNew();
        Assert.True(await _client.StopContainerAsync(id, TimeSpan.FromSeconds(1), default));

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(0.9), $"killed after {stopwatch.Elapsed}, before the grace period ended");
        Assert.Equal(137, await _client.WaitContainerAsync(id, default));
    }

    [Fact]
    public async Task KillContainer_Sigkill_ExitCode137AndNotOomKilled()
    {
        var (id, _) = await _containers.RunAsync(["sleep", "30000"]);

        await _client.KillContainerAsync(id, "SIGKILL", default);

        Assert.Equal(137, await _client.WaitContainerAsync(id, default));
        var state = (await _client.InspectContainerAsync(id, default))!.State!;
        Assert.Equal(137, state.ExitCode);
        Assert.False(state.OOMKilled);
        var notRunning = await Assert.ThrowsAsync<DockerApiException>(() => _client.KillContainerAsync(id, "SIGKILL", default));
        Assert.Equal(HttpStatusCode.Conflict, notRunning.StatusCode);
    }

    [Fact]
    public async Task WaitContainer_ExitLaterThanRequestTimeout_ReturnsExitCode()
    {
        using var client = DockerTestImage.CreateClient(options => options.RequestTimeout = TimeSpan.FromMilliseconds(500));
        var (id, _) = await _containers.RunAsync(["sleep", "1500", "exit", "5"]);

        Assert.Equal(5, await client.WaitContainerAsync(id, default));
    }

    [Fact]
    public async Task ListContainers_ByRunLabel_FindsExactlyThisTestsContainers()
    {
        var first = await _containers.CreateAsync(["exit", "0"]);
        var second = await _containers.RunAsync(["sleep", "30000"]);
        await using var others = new TestContainers(_client);
        await others.CreateAsync(["exit", "0"]);

        var all = await _client.ListContainersAsync(_containers.RunFilter, all: true, default);
        var running = await _client.ListContainersAsync(_containers.RunFilter, all: false, default);

        Assert.Equal(new[] { first.Id, second.Id }.Order(), all.Select(c => c.ID).Order());
        var only = Assert.Single(running);
        Assert.Equal(second.Id, only.ID);
        Assert.Equal("running", only.State);
        Assert.Equal("/" + second.Name, Assert.Single(only.Names));
        Assert.Equal(DockerTestImage.Tag, only.Image);
        Assert.Equal(_containers.RunId, only.Labels?[TestContainers.RunLabel]);
        var anyValue = new Dictionary<string, string?> { [TestContainers.RunLabel] = null };
        Assert.True((await _client.ListContainersAsync(anyValue, all: true, default)).Count >= 3);
    }

    [Fact]
    public async Task CreateContainer_MissingImage_ThrowsWithTheDaemonsMessage()
    {
        var spec = TestContainers.Spec(["exit", "0"], new Dictionary<string, string>());
        spec.Image = "gpu-router/no-such-image:never";
        spec.Name = _containers.NewName();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => _client.CreateContainerAsync(spec, default));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("No such image", error.DaemonMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("gpu-router/no-such-image:never", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("POST /v1.", error.Request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateContainer_NameInUse_ThrowsConflict()
    {
        var (_, name) = await _containers.CreateAsync(["exit", "0"]);
        var spec = TestContainers.Spec(["exit", "0"], new Dictionary<string, string>());
        spec.Name = name;

        var error = await Assert.ThrowsAsync<DockerApiException>(() => _client.CreateContainerAsync(spec, default));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Contains("already in use", error.DaemonMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAndRemove_MissingContainer_NullOrFlagged()
    {
        var name = _containers.NewName();

        Assert.Null(await _client.InspectContainerAsync(name, default));
        Assert.False(await _client.RemoveContainerAsync(name, force: true, ignoreMissing: true, default));
        var error = await Assert.ThrowsAsync<DockerApiException>(
            () => _client.RemoveContainerAsync(name, force: true, ignoreMissing: false, default));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("No such container", error.DaemonMessage, StringComparison.Ordinal);
    }

    // Docker's zero time, 0001-01-01T00:00:00Z, means "never" (not started, not finished yet).
    private static bool IsNever(string time) => time.StartsWith("0001-01-01", StringComparison.Ordinal);
}
