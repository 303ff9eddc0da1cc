using System.Diagnostics;
using GpuRouter.Docker;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

[Collection(DockerTestImageCollection.Name)]
public sealed class DockerEventsTests : IAsyncLifetime
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);
    private readonly DockerEngineClient _client = DockerTestImage.CreateClient();
    private readonly TestContainers _containers;

    public DockerEventsTests() => _containers = new TestContainers(_client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        _client.Dispose();
    }

    // Since replays from just before the test, so nothing is lost while the subscription opens.
    private DockerEventFilters RunFilters(params string[] actions) => new()
    {
        Types = ["container"],
        Actions = actions,
        Labels = _containers.RunFilter,
        Since = TimeProvider.System.GetUtcNow().AddSeconds(-1),
    };

    [Fact]
    public async Task Events_ContainerExitsWithCode3_StartThenDieWithExitCode()
    {
        await using var recorder = new EventRecorder(_client, RunFilters());
        var (id, name) = await _containers.RunAsync(["sleep", "100", "exit", "3"]);

        var events = await recorder.WaitForAsync(seen => seen.Any(e => e.Action == "die"), EventTimeout);

        var actions = events.Select(e => e.Action).ToList();
        Assert.True(actions.IndexOf("start") >= 0 && actions.IndexOf("start") < actions.IndexOf("die"), string.Join(",", actions));
        var die = events.Single(e => e.Action == "die");
        Assert.Equal("container", die.Type);
        Assert.Equal(id, die.ActorId);
        Assert.Equal(name, die.Name);
        Assert.Equal(3, die.ExitCode);
        Assert.Equal(_containers.RunId, die.Attributes[TestContainers.RunLabel]);
        Assert.InRange(die.Time, TimeProvider.System.GetUtcNow().AddMinutes(-1), TimeProvider.System.GetUtcNow().AddMinutes(1));
        Assert.Null(events.Single(e => e.Action == "start").ExitCode);
    }

    [Fact]
    public async Task Events_ContainerKilledOrExiting137_DieReports137()
    {
        await using var recorder = new EventRecorder(_client, RunFilters("die"));
        var (killedId, _) = await _containers.RunAsync(["sleep", "30000"]);
        var (selfId, _) = await _containers.RunAsync(["exit", "137"]);
        await _client.KillContainerAsync(killedId, "SIGKILL", default);

        var events = await recorder.WaitForAsync(seen => seen.Count >= 2, EventTimeout);

        Assert.All(events, e => Assert.Equal("die", e.Action));
        Assert.Equal(137, events.Single(e => e.ActorId == killedId).ExitCode);
        Assert.Equal(137, events.Single(e => e.ActorId == selfId).ExitCode);
    }

    [Fact]
    public async Task Events_ContainerOverMemoryLimit_DiesWith137AndOomKilled()
    {
        const long limit = 16L << 20;
        await using var recorder = new EventRecorder(_client, RunFilters("oom", "die"));
        var spec = TestContainers.Spec(["alloc", "64", "out", "survived"], new Dictionary<string, string>());
        spec.HostConfig!.Memory = limit;
        spec.HostConfig.MemorySwap = limit;
        var (id, _) = await _containers.RunAsync(spec);

        var events = await recorder.WaitForAsync(seen => seen.Any(e => e.Action == "die"), EventTimeout);
        // The separate oom event is best effort on this engine (dockerd 20.10 on cgroup v1 sometimes
        // never sends it), which is why the router also treats exit 137 and OOMKilled as out of memory.
        try
        {
            events = await recorder.WaitForAsync(seen => seen.Any(e => e.Action == "oom"), TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            // Judged by the die event and the inspected state below.
        }

        Assert.All(events.Where(e => e.Action == "oom"), e => Assert.Equal(id, e.ActorId));
        Assert.Equal(137, events.Single(e => e.Action == "die").ExitCode);
        var state = (await _client.InspectContainerAsync(id, default))!.State!;
        Assert.True(state.OOMKilled);
        Assert.Equal(137, state.ExitCode);
    }

    [Fact]
    public async Task Events_IdleLongerThanRequestTimeout_StillReportsEveryContainer()
    {
        using var shortTimeouts = DockerTestImage.CreateClient(options => options.RequestTimeout = TimeSpan.FromMilliseconds(500));
        await using var recorder = new EventRecorder(shortTimeouts, RunFilters("start", "die"));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var ids = new List<string>();
        for (var code = 10; code < 13; code++)
        {
            ids.Add((await _containers.RunAsync(["exit", code.ToString(System.Globalization.CultureInfo.InvariantCulture)])).Id);
        }

        var events = await recorder.WaitForAsync(seen => seen.Count(e => e.Action == "die") == 3, EventTimeout);

        Assert.Equal([10, 11, 12], ids.Select(id => events.Single(e => e.ActorId == id && e.Action == "die").ExitCode!.Value));
        Assert.All(ids, id => Assert.Contains(events, e => e.ActorId == id && e.Action == "start"));
    }

    [Fact]
    public async Task Events_Cancelled_EnumerationEndsPromptly()
    {
        using var cancel = new CancellationTokenSource();
        var filters = new DockerEventFilters { Labels = _containers.RunFilter };
        var reading = Task.Run(async () =>
        {
            await foreach (var dockerEvent in _client.EventsAsync(filters, cancel.Token))
            {
                Assert.Fail($"No event expected, got {dockerEvent.Action}.");
            }
        });
        await Task.Delay(300);

        var stopwatch = Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
    }
}
