using GpuRouter.Docker;
using GpuRouter.Retry;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Follows Docker's event stream for our containers' die/oom events and tells their owners at
/// once. Reconnects when dockerd comes back (retrying every 0.25 s, backing off to 2 s) and then
/// lists our containers and hands each owner what the engine holds: the events sent while the
/// stream was down are lost (a restarted dockerd does not replay its predecessor's).
/// /ready reports Docker as lost meanwhile.
/// </summary>
internal sealed partial class DockerEventWatcher(
    IDockerClient docker, ManagedInstances managed, ContainerStarter starter, ContainerSpecFactory specs, IReadinessConditions readiness,
    TimeProvider time, ILogger<DockerEventWatcher> logger) : BackgroundService
{
    public const string Condition = "docker";
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);
    private readonly DockerEventFilters _filters = new()
    {
        Types = ["container"],
        Actions = ["die", "oom"],
        Labels = new Dictionary<string, string?> { [ContainerLabels.Managed] = "true", [ContainerLabels.Owner] = specs.OwnerId },
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
                readiness.Met(Condition);
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
                readiness.Lost(Condition, $"Docker is not answering: {e.Message}");
                LogLost(logger, e.Message);
            }
            // Also after a stream that simply ended: it is reopened after the first wait.
            await Task.Delay(backoff.Failed(), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task OnDieAsync(DockerEvent e, bool oom, CancellationToken ct)
    {
        if (!e.Attributes.TryGetValue(ContainerLabels.Instance, out var name) || managed.Find(name) is not { } owner) return;
        if (owner.ContainerId != e.ActorId) return;
        var logs = await starter.LastLinesAsync(e.ActorId, ct);
        owner.OnContainerDied(e.ActorId, e.ExitCode, oom, logs);
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        var containers = await docker.ListContainersAsync(_filters.Labels, all: true, ct);
        LogReconnected(logger, containers.Count);
        foreach (var owner in managed.All)
        {
            var name = owner.Definition.Name;
            await owner.ReconcileAsync([.. containers.Where(c => ContainerLabels.Get(c.Labels, ContainerLabels.Instance) == name)]);
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Docker event stream lost: {Reason}; reconnecting")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Docker answers again; checking the {Count} containers of ours it lists")]
    private static partial void LogReconnected(ILogger logger, int count);
}
