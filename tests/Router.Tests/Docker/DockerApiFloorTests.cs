using GpuRouter.Docker;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

/// <summary>
/// The Docker.DotNet package is generated for current engines (API 1.54); the router keeps its own
/// floor, Engine API 1.41 (Docker 20.10), and speaks the daemon's version up to its cap. On this
/// machine the engine is dockerd 20.10: a daemon refuses any version above its own, so every call
/// here succeeding shows the package driving API 1.41.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DockerApiFloorTests : IAsyncLifetime
{
    private readonly DockerEngineClient _client = DockerTestImage.CreateClient();
    private readonly TestContainers _containers;

    public DockerApiFloorTests() => _containers = new TestContainers(_client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task LocalEngine_AtTheNegotiatedVersion_CreateStartInspectLogsEventsStopRemove()
    {
        var version = await _client.GetVersionAsync(default);
        Assert.Equal(new DockerApiVersion(1, 41), DockerApiVersion.Minimum);
        Assert.Equal(version.DaemonApiVersion > DockerApiVersion.Maximum ? DockerApiVersion.Maximum : version.DaemonApiVersion, version.NegotiatedApiVersion);
        var filters = new DockerEventFilters { Types = ["container"], Labels = _containers.RunFilter, Since = TimeProvider.System.GetUtcNow().AddSeconds(-1) };
        await using var recorder = new EventRecorder(_client, filters);

        var (id, name) = await _containers.CreateAsync(["out", "up", "sleep", "30", "err", "working", "sleep", "30000"]);
        Assert.True(await _client.StartContainerAsync(id, default));
        Assert.True((await _client.InspectContainerAsync(name, default))!.State!.Running);
        await Eventually.TrueAsync(async () => await _client.GetLogsTailAsync(id, 10, default) == "up\nworking\n", "both lines are logged");
        Assert.True(await _client.StopContainerAsync(id, TimeSpan.FromSeconds(10), default));
        Assert.Equal(0, (await _client.InspectContainerAsync(id, default))!.State!.ExitCode);
        Assert.True(await _client.RemoveContainerAsync(id, force: false, ignoreMissing: false, default));

        var events = await recorder.WaitForAsync(seen => seen.Any(e => e.Action == "destroy"), TimeSpan.FromSeconds(15));
        var actions = events.Where(e => e.ActorId == id).Select(e => e.Action).ToList();
        Assert.Equal(["create", "start", "die", "destroy"], actions.Where(a => a is "create" or "start" or "die" or "destroy"));
        Assert.Equal(0, events.Single(e => e.Action == "die").ExitCode);
        Assert.Null(await _client.InspectContainerAsync(id, default));
        var missing = await Assert.ThrowsAsync<DockerApiException>(() => _client.RemoveContainerAsync(id, force: false, ignoreMissing: false, default));
        Assert.StartsWith($"DELETE /v{version.NegotiatedApiVersion}/containers/", missing.Request, StringComparison.Ordinal);
    }
}
