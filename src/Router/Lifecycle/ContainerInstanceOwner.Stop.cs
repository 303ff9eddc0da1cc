using GpuRouter.Docker;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

// Stopping and adoption: the ways an instance leaves (or re-enters) Ready on someone's decision.
internal sealed partial class ContainerInstanceOwner
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Stops the container if nothing is in flight or queued; new requests wait meanwhile.</summary>
    public async Task<bool> TryStopIdleAsync(string reason, CancellationToken ct)
    {
        if (!_gate.TryReserveIdle(out var reservation)) return false;
        using (reservation)
        {
            string? id;
            lock (_lock)
            {
                if (_state is not (InstanceState.Ready or InstanceState.Draining or InstanceState.Failed) || _start is not null) return false;
                id = _containerId;
                _state = InstanceState.Stopping;
            }
            StateChanged?.Invoke(Definition.Name, InstanceState.Stopping);
            LogStopping(_logger, Definition.Name, reason);
            await RemoveContainerAsync(id);
            lock (_lock)
            {
                _state = InstanceState.Stopped;
                _containerId = null;
            }
            _placement.Release(this);
            StateChanged?.Invoke(Definition.Name, InstanceState.Stopped);
            return true;
        }
    }

    /// <summary>Drains (waits for in-flight requests up to the timeout), then stops; past the timeout it stops anyway.</summary>
    public async Task StopAsync(string reason, TimeSpan drainTimeout, CancellationToken ct)
    {
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(ct);
        drain.CancelAfter(drainTimeout);
        BeginDraining();
        while (!ct.IsCancellationRequested)
        {
            if (await TryStopIdleAsync(reason, ct)) return;
            if (State is InstanceState.Stopped) return;
            if (drain.IsCancellationRequested)
            {
                await ForceStopAsync(reason + " (drain timeout)");
                return;
            }
            try
            {
                await _gate.WhenIdleAsync(drain.Token);
                // Idle but not stoppable yet (a start is under way): look again shortly, never spin.
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, drain.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Drain timeout: the loop stops it regardless.
            }
        }
    }

    // Ready -> Draining as one step under the owner's lock: a death or a stop that lands between a
    // read of the state and a write must not be overwritten with Draining.
    private void BeginDraining()
    {
        lock (_lock)
        {
            if (_state != InstanceState.Ready) return;
            _state = InstanceState.Draining;
        }
        StateChanged?.Invoke(Definition.Name, InstanceState.Draining);
    }

    /// <summary>
    /// At start-up, for a container of ours found running or stopped: one with the same spec that
    /// runs is taken over without a restart; any other is removed. Decided here, under the owner's
    /// lock, because a request may already be starting this instance: then the start owns the
    /// container (it reuses or replaces it by name) and adoption leaves it alone.
    /// </summary>
    public async Task AdoptOrDiscardAsync(string containerId, bool adoptable, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_start is not null || _state != InstanceState.Stopped) return;
            if (adoptable)
            {
                _containerId = containerId;
                _died = NewSignal();
            }
        }
        if (adoptable)
        {
            // The start path reuses a running container whose spec hash matches: it reserves VRAM and
            // waits for /health, and creates nothing.
            await EnsureReadyAsync(null, ct);
            return;
        }
        await _docker.RemoveContainerAsync(containerId, force: true, ignoreMissing: true, ct);
    }

    private async Task ForceStopAsync(string reason)
    {
        string? id;
        lock (_lock)
        {
            id = _containerId;
            _state = InstanceState.Stopping;
        }
        LogStopping(_logger, Definition.Name, reason);
        await RemoveContainerAsync(id);
        lock (_lock)
        {
            _state = InstanceState.Stopped;
            _containerId = null;
        }
        _placement.Release(this);
        StateChanged?.Invoke(Definition.Name, InstanceState.Stopped);
    }

    private async Task RemoveContainerAsync(string? id)
    {
        if (id is null) return;
        try
        {
            await _docker.StopContainerAsync(id, StopGrace, CancellationToken.None);
            await _docker.RemoveContainerAsync(id, force: true, ignoreMissing: true, CancellationToken.None);
        }
        catch (Exception e) when (e is DockerApiException or DockerUnavailableException)
        {
            LogStopFailed(_logger, Definition.Name, e.Message);
        }
    }

    // After an out-of-memory death, half the concurrency (at least 1): fewer sequences, less KV cache.
    private void LowerLimitAfterOom()
    {
        var lowered = Math.Max(1, _gate.Limit / 2);
        _gate.SetLimit(lowered);
        LogOomLimit(_logger, Definition.Name, lowered);
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Stopping {Instance}: {Reason}")]
    private static partial void LogStopping(ILogger logger, string instance, string reason);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Docker call for {Instance} failed: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string instance, string reason);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "{Instance} ran out of memory; its concurrency is lowered to {Limit}")]
    private static partial void LogOomLimit(ILogger logger, string instance, int limit);
}
