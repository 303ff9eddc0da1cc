using GpuRouter.Docker;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

// Stopping and adoption: the ways an instance leaves (or re-enters) Ready on someone's decision.
internal sealed partial class ContainerInstanceOwner
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AdoptionAnswerWithin = TimeSpan.FromSeconds(5);

    /// <summary>Stops the container if nothing is in flight or queued; new requests wait meanwhile.</summary>
    public async Task<bool> TryStopIdleAsync(string reason, CancellationToken ct)
    {
        if (!_gate.TryReserveIdle(out var reservation)) return false;
        using (reservation)
        {
            string? id;
            lock (_lock)
            {
                if (_state is not (InstanceState.Ready or InstanceState.Draining or InstanceState.Failed or InstanceState.Sleeping)
                    || _start is not null || _fallingAsleep is not null) return false;
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
    public Task StopAsync(string reason, TimeSpan drainTimeout, CancellationToken ct) => LeaveAsync(new LeaveRequest(reason, drainTimeout), ct);

    /// <summary>
    /// The one drain: what is in flight and already queued finishes (up to the drain timeout, past
    /// which it is stopped anyway, its streams cut); then it is put to sleep where the request
    /// allows it (an instance already asleep stays so), else stopped.
    /// </summary>
    public async Task<LeaveOutcome> LeaveAsync(LeaveRequest request, CancellationToken ct)
    {
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(ct);
        drain.CancelAfter(request.DrainTimeout);
        var drainedSaid = false;
        void Drained()
        {
            if (drainedSaid) return;
            drainedSaid = true;
            request.Drained?.Invoke();
        }
        BeginDraining();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (State is InstanceState.Stopped) return LeaveOutcome.Stopped;
                if (_gate.IsIdle)
                {
                    Drained();
                    if (request.MaySleep && await SleepsOrSleptAsync(request.Reason)) return LeaveOutcome.Slept;
                    if (await TryStopIdleAsync(request.Reason, ct) || State is InstanceState.Stopped) return LeaveOutcome.Stopped;
                }
                if (drain.IsCancellationRequested)
                {
                    Drained();
                    await ForceStopAsync(request.Reason + " (drain timeout)");
                    return LeaveOutcome.Stopped;
                }
                try
                {
                    // Idle but not stoppable yet (a start or wake is under way): look again shortly, never spin.
                    if (_gate.IsIdle) await Task.Delay(TimeSpan.FromMilliseconds(100), _time, drain.Token);
                    else await _gate.WhenIdleAsync(drain.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Drain timeout: the loop stops it regardless.
                }
            }
            return LeaveOutcome.Stopped;
        }
        finally
        {
            Drained();
        }
    }

    // Asleep already (and settled), or put to sleep now and still asleep after the check.
    private async Task<bool> SleepsOrSleptAsync(string reason)
    {
        lock (_lock)
        {
            if (_state == InstanceState.Sleeping && _start is null && _fallingAsleep is null) return true;
        }
        return await TrySleepIdleAsync(reason, CancellationToken.None) && State == InstanceState.Sleeping;
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
            if (Definition.Model.Sleep is not null && await AdoptAsleepAsync(containerId, ct) is { } asleep)
            {
                if (asleep) return;
                // Caught half-way into or out of a sleep by the restart: it answers neither way.
                LogHalfWay(_logger, Definition.Name, containerId[..12]);
                lock (_lock) _containerId = null;
                await _docker.RemoveContainerAsync(containerId, force: true, ignoreMissing: true, ct);
                return;
            }
            // The start path reuses a running container whose spec hash matches: it reserves VRAM and
            // waits for /health, and creates nothing.
            await EnsureReadyAsync(null, ct);
            return;
        }
        await _docker.RemoveContainerAsync(containerId, force: true, ignoreMissing: true, ct);
    }

    // True: it sleeps and is adopted as Sleeping (its residual share and its weights in RAM);
    // false: it is awake, adopted as usual; null: it answers neither (or has no address).
    private async Task<bool?> AdoptAsleepAsync(string containerId, CancellationToken ct)
    {
        if (_sleepApi is null) return false;
        if (await _starter.AdoptedAddressAsync(Definition, containerId, ct) is not { } address) return null;
        if (await _sleepApi.IsSleepingAsync(address, AdoptionAnswerWithin, _backendKey) is not { } sleeping) return null;
        if (!sleeping) return false;
        lock (_lock)
        {
            if (_start is not null || _state != InstanceState.Stopped) return true;
            _ready = ReadyResult.Ready(address) with { BackendKey = _backendKey };
            _state = InstanceState.Sleeping;
        }
        _placement.AdoptAsleep(this);
        LogAdoptedAsleep(_logger, Definition.Name, containerId[..12]);
        StateChanged?.Invoke(Definition.Name, InstanceState.Sleeping);
        return true;
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

    [LoggerMessage(EventId = 3025, Level = LogLevel.Information, Message = "Adopted {Container} as {Instance}, asleep")]
    private static partial void LogAdoptedAsleep(ILogger logger, string instance, string container);

    [LoggerMessage(EventId = 3026, Level = LogLevel.Warning, Message = "Removing container {Container} of {Instance}: it answers neither asleep nor awake (caught half-way by the router's restart)")]
    private static partial void LogHalfWay(ILogger logger, string instance, string container);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "{Instance} ran out of memory; its concurrency is lowered to {Limit}")]
    private static partial void LogOomLimit(ILogger logger, string instance, int limit);
}
