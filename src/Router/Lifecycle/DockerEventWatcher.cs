using GpuRouter.Docker;
using GpuRouter.Health;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Follows Docker's event stream for our containers' die/oom events and tells their owners at
/// once. Reconnects when dockerd restarts (and then re-checks every instance, in case a death
/// was missed); /ready reports Docker as lost meanwhile.
/// </summary>
internal sealed partial class DockerEventWatcher(
    IDockerClient docker, ManagedInstances managed, ContainerStarter starter, ContainerSpecFactory specs, Readiness readiness,
    TimeProvider time, ILogger<DockerEventWatcher> logger) : BackgroundService
{
    public const string Condition = "docker";
    private readonly DockerEventFilters _filters = new()
    {
        Types = ["container"],
        Actions = ["die", "oom"],
        Labels = new Dictionary<string, string?> { [ContainerLabels.Managed] = "true", [ContainerLabels.Owner] = specs.OwnerId },
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        var oomKilled = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        DateTimeOffset? since = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await docker.PingAsync(stoppingToken);
                readiness.Met(Condition);
                if (!first) Reconcile();
                first = false;
                delay = TimeSpan.FromMilliseconds(250);
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
            await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }
    }

    private async Task OnDieAsync(DockerEvent e, bool oom, CancellationToken ct)
    {
        if (!e.Attributes.TryGetValue(ContainerLabels.Instance, out var name) || managed.Find(name) is not { } owner) return;
        if (owner.ContainerId != e.ActorId) return;
        var logs = await starter.LastLinesAsync(e.ActorId, ct);
        owner.OnContainerDied(e.ActorId, e.ExitCode, oom, logs);
    }

    private void Reconcile()
    {
        foreach (var owner in managed.All) owner.ReportUnreachable();
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Docker event stream lost: {Reason}; reconnecting")]
    private static partial void LogLost(ILogger logger, string reason);
}
