using System.Globalization;
using Docker.DotNet.Models;
using GpuRouter.Docker;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

// Deaths: the container died (an event says so), is found dead, or vanished with Docker itself.
// In-flight requests fail with it and the next request starts it again.
internal sealed partial class ContainerInstanceOwner
{
    // The last death came while the instance served (not while it drained for a stop).
    private bool _diedServing;

    /// <summary>The container died (Docker's die/oom event, or found exited).</summary>
    public void OnContainerDied(string containerId, int? exitCode, bool oomEvent, string? lastLogs) =>
        Died(containerId, exitCode, oomEvent, lastLogs);

    /// <summary>A forward found the backend unreachable or cut off: check whether the container is still there.</summary>
    public void ReportUnreachable() => _ = Task.Run(CheckBackendLostAsync);

    /// <summary>
    /// True when the container the requests go to no longer runs and the instance was serving:
    /// it is Failed now, so a start replaces it. False for an instance being stopped on purpose
    /// (a drain, a mode switch): a request must not bring back what is leaving.
    /// </summary>
    public async ValueTask<bool> CheckBackendLostAsync() => ContainerId is { } id && await CheckContainerAsync(id);

    /// <summary>
    /// Docker answers again after an outage and lists this instance's containers. What it did
    /// meanwhile (a restarted dockerd kills what ran without it) came as events nobody received,
    /// and a new dockerd does not replay them: a container of ours that no longer runs is taken
    /// as died now, and one left created but never started (a start the outage cut short) is
    /// removed. A start under way owns its container, so then nothing is touched.
    /// </summary>
    public async Task ReconcileAsync(IReadOnlyList<ContainerListResponse> listed)
    {
        string? id;
        var stale = listed.Where(c => c.State == "created").Select(c => c.ID).ToList();
        lock (_lock)
        {
            if (_start is not null) return;
            // Ready means running, so a created container is never the one requests go to.
            if (_containerId is { } current && stale.Contains(current)) _containerId = null;
            id = _containerId;
        }
        foreach (var container in stale)
        {
            LogRemovingStale(_logger, Definition.Name, container[..12]);
            await RemoveContainerAsync(container);
        }
        if (id is not null && listed.FirstOrDefault(c => c.ID == id) is not { State: "running" }) await CheckContainerAsync(id);
    }

    // True when the container is gone (died, removed, or unknowable because Docker is away) and
    // the instance was serving with it.
    private async Task<bool> CheckContainerAsync(string id)
    {
        try
        {
            var inspect = await _docker.InspectContainerAsync(id, CancellationToken.None);
            if (inspect is { State.Running: true }) return false;
            var logs = inspect is null ? null : await _starter.LastLinesAsync(Definition.Name, id, CancellationToken.None);
            return Died(id, (int?)inspect?.State?.ExitCode, inspect?.State?.OOMKilled == true, logs);
        }
        catch (DockerUnavailableException e)
        {
            // The backend failed and Docker cannot say why: stopping dockerd takes its containers
            // along. The next start finds the container again (and keeps it when it still runs)
            // or says that Docker is down.
            return Lose(id, $"its backend failed while Docker did not answer ({e.Message})", oom: false);
        }
        catch (DockerApiException e)
        {
            LogStopFailed(_logger, Definition.Name, e.Message);
            return false;
        }
    }

    private bool Died(string containerId, int? exitCode, bool oomEvent, string? lastLogs)
    {
        var oom = OutOfMemory.IsOom(oomEvent, exitCode, lastLogs);
        var code = exitCode?.ToString(CultureInfo.InvariantCulture) ?? "?";
        return Lose(containerId, $"the container exited with code {code}{(oom ? " (out of memory)" : "")}", oom);
    }

    // True when the instance was serving with that container (Ready, or found dead while Ready a
    // moment ago by another check): a start may replace it. Draining, stopping or stopped: it is
    // leaving anyway. A settled sleeper that dies is Failed too: the next request starts it cold.
    private bool Lose(string containerId, string reason, bool oom)
    {
        bool serving;
        lock (_lock)
        {
            if (containerId != _containerId) return false;
            _died.TrySetResult();
            if (_state == InstanceState.Failed) return _diedServing;
            serving = _diedServing = _state == InstanceState.Ready;
            var asleep = _state == InstanceState.Sleeping && _start is null && _fallingAsleep is null;
            if (_state is not (InstanceState.Ready or InstanceState.Draining) && !asleep) return false;
            _state = InstanceState.Failed;
            Restarts++;
            LastError = reason;
            if (oom) LowerLimitAfterOom();
        }
        _placement.Release(this);
        LogCrashed(_logger, Definition.Name, reason);
        Restarted?.Invoke(Definition.Name, oom ? "oom" : "crash");
        StateChanged?.Invoke(Definition.Name, InstanceState.Failed);
        return serving;
    }

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "{Instance} crashed: {Reason}")]
    private static partial void LogCrashed(ILogger logger, string instance, string reason);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Information, Message = "Removing container {Container} of {Instance}: created but never started")]
    private static partial void LogRemovingStale(ILogger logger, string instance, string container);
}
