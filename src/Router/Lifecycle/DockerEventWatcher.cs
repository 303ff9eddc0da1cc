using GpuRouter.Docker;
using GpuRouter.Hosts;
using GpuRouter.Retry;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Follows Docker's event stream for our containers' die/oom events and tells their owners at
/// once. Reconnects when dockerd comes back (retrying every 0.25 s, backing off to 2 s) and then
/// lists our containers and hands each owner what the engine holds: the events sent while the
/// stream was down are lost (a restarted dockerd does not replay its predecessor's).
/// One runs per engine and reports its reachability to the <see cref="HostStatusBoard"/>; for the
/// local engine /ready also reports Docker as lost meanwhile, a remote host's never gates /ready.
/// </summary>
internal sealed partial class DockerEventWatcher(
    HostEngine engine, ManagedInstances managed, IReadinessConditions readiness, HostStatusBoard board,
    TimeProvider time, ILogger<DockerEventWatcher> logger) : BackgroundService
{
    private readonly IDockerClient docker = engine.Docker;
    private readonly ContainerStarter starter = engine.Starter;

    public const string Condition = "docker";
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);
    private readonly DockerEventFilters _filters = new()
    {
        Types = ["container"],
        Actions = ["die", "oom"],
        Labels = new Dictionary<string, string?> { [ContainerLabels.Managed] = "true", [ContainerLabels.Owner] = engine.Specs.OwnerId },
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(FirstRetry, MaxRetry, time);
        var oomKilled = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        DateTimeOffset? since = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await docker.PingAsync(stoppingToken);
                if (!first)
                {
                    // Events from the listing on are asked for again below, so none falls between the two.
                    since ??= time.GetUtcNow().AddSeconds(-1);
                    await ReconcileAsync(stoppingToken);
                }
                if (engine.IsLocal) readiness.Met(Condition);
                board.MarkReachable(engine.Name);
                first = false;
                backoff.Succeeded();
                // After a reconnect, ask again from the last event seen so nothing in between is lost.
                await foreach (var e in docker.EventsAsync(_filters with { Since = since }, stoppingToken))
                {
                    since = e.Time;
                    if (e.Action == "oom") oomKilled.Add(e.ActorId);
                    else if (e.Action == "die") await OnDieAsync(e, oomKilled.Remove(e.ActorId), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DockerUnavailableException or DockerApiException or IOException or HttpRequestException)
            {
                if (engine.IsLocal) readiness.Lost(Condition, $"Docker is not answering: {e.Message}");
                // Said once per outage: a host that stays away must not fill the log every 2 s.
                if (board.IsReachable(engine.Name)) LogLost(logger, engine.Name, e.Message);
                board.MarkUnreachable(engine.Name, e.Message);
            }
            // Also after a stream that simply ended: it is reopened after the first wait.
            await Task.Delay(backoff.Failed(), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task OnDieAsync(DockerEvent e, bool oom, CancellationToken ct)
    {
        if (!e.Attributes.TryGetValue(ContainerLabels.Instance, out var name) || managed.Find(name) is not { } owner || !engine.Runs(owner)) return;
        if (owner.ContainerId != e.ActorId) return;
        var logs = await starter.LastLinesAsync(name, e.ActorId, ct);
        owner.OnContainerDied(e.ActorId, e.ExitCode, oom, logs);
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        var containers = await docker.ListContainersAsync(_filters.Labels, all: true, ct);
        LogReconnected(logger, engine.Name, containers.Count);
        foreach (var owner in managed.All.Where(engine.Runs))
        {
            var name = owner.Definition.Name;
            await owner.ReconcileAsync([.. containers.Where(c => ContainerLabels.Get(c.Labels, ContainerLabels.Instance) == name)]);
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Docker event stream of host {Host} lost: {Reason}; reconnecting")]
    private static partial void LogLost(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Docker of host {Host} answers again; checking the {Count} containers of ours it lists")]
    private static partial void LogReconnected(ILogger logger, string host, int count);
}
