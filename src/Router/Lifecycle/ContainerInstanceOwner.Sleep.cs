using GpuRouter.Failures;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

// Sleep and wake (vLLM's sleep mode): Ready -> Sleeping -> Waking -> Ready. Nothing is forwarded
// to an instance that sleeps or falls asleep: a sleep holds the gate's idle reservation for the
// whole /sleep call, and a request for a sleeper waits in EnsureReadyAsync for the one wake.
internal sealed partial class ContainerInstanceOwner
{
    private static readonly TimeSpan SleepCallTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxWakeTimeout = TimeSpan.FromMinutes(2);
    private readonly VllmSleepApi? _sleepApi;
    private readonly SleepVerifier? _verifier;

    // The /sleep call under way (with its check); completes when the instance sleeps or was stopped.
    private Task? _fallingAsleep;

    // A sleep that did not free the GPU: not put to sleep again until the router restarts.
    private volatile bool _sleepBarred;

    /// <summary>Puts it to sleep if nothing is in flight or queued; true when its share was freed (asleep, or stopped after a failed sleep).</summary>
    public async Task<bool> TrySleepIdleAsync(string reason, CancellationToken ct)
    {
        if (Definition.Model.Sleep is not { } sleep || _sleepBarred || _sleepApi is null) return false;
        if (!_gate.TryReserveIdle(out var reservation)) return false;
        using (reservation)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            string id;
            Uri address;
            lock (_lock)
            {
                if (_state is not (InstanceState.Ready or InstanceState.Draining) || _start is not null || _fallingAsleep is not null
                    || _containerId is null || _ready.BaseAddress is null) return false;
                id = _containerId;
                address = _ready.BaseAddress;
                _state = InstanceState.Sleeping;
                _fallingAsleep = done.Task;
            }
            StateChanged?.Invoke(Definition.Name, InstanceState.Sleeping);
            _placement.EnterHostMemory(this);
            LogFallingAsleep(_logger, Definition.Name, sleep.Level, reason);
            var started = _time.GetTimestamp();
            try
            {
                var before = _verifier is null ? null : await _verifier.BeforeAsync(CancellationToken.None);
                var failure = await _sleepApi.SleepAsync(address, sleep.Level, SleepCallTimeout, _backendKey);
                if (failure is null && _verifier is not null) failure = await _verifier.FreedAsync(Definition, id, before, CancellationToken.None);
                if (failure is null)
                {
                    _placement.ToResidual(this);
                    var took = _time.GetElapsedTime(started);
                    LogAsleep(_logger, Definition.Name, took.TotalMilliseconds);
                    Slept?.Invoke(Definition.Name, took);
                }
                else
                {
                    _sleepBarred = true;
                    LastError = $"put to sleep, but {failure}; stopped instead, and not put to sleep again until the router restarts";
                    LogSleepFailed(_logger, Definition.Name, failure);
                    await ForceStopAsync("its sleep failed");
                }
            }
            finally
            {
                lock (_lock) _fallingAsleep = null;
                done.TrySetResult();
            }
            return true;
        }
    }

    /// <summary>An operator's sleep: validated now, carried out in the background once the instance is idle.</summary>
    public Failure? RequestSleep(string reason, TimeSpan drainTimeout)
    {
        if (Definition.Model.Sleep is null)
            return Failure.InvalidRequest($"{Definition.Name} cannot sleep: its model {Definition.Model.Name} has no sleep section.", code: "sleep_not_configured");
        if (_sleepBarred)
            return Failure.InvalidRequest($"{Definition.Name} is not put to sleep again until the router restarts: {LastError}", code: "sleep_barred");
        var state = State;
        if (state is not (InstanceState.Ready or InstanceState.Sleeping or InstanceState.Starting or InstanceState.Loading))
            return Failure.InvalidRequest($"{Definition.Name} is {state}: only a running instance can be put to sleep.", code: "not_running");
        _ = Task.Run(() => SleepWhenIdleAsync(reason, drainTimeout));
        return null;
    }

    private async Task SleepWhenIdleAsync(string reason, TimeSpan drainTimeout)
    {
        using var wait = new CancellationTokenSource(drainTimeout, _time);
        try
        {
            while (State != InstanceState.Sleeping && !_sleepBarred)
            {
                if (State is InstanceState.Stopped or InstanceState.Failed or InstanceState.Stopping) return;
                if (await TrySleepIdleAsync(reason, CancellationToken.None)) return;
                await _gate.WhenIdleAsync(wait.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, wait.Token);
            }
        }
        catch (OperationCanceledException)
        {
            LogSleepGaveUp(_logger, Definition.Name, Configuration.Duration.Format(drainTimeout));
        }
    }

    // One wake however many wait; it runs as the owner's _start. A wake that fails or times out
    // stops the container, and the waiters get a cold start instead of an error.
    private async Task<ReadyResult> RunWakeAsync()
    {
        Task? falling;
        lock (_lock) falling = _fallingAsleep;
        if (falling is not null) await falling;
        string? id = null;
        Uri? address = null;
        lock (_lock)
        {
            if (_state == InstanceState.Sleeping && _containerId is not null && _ready.BaseAddress is not null)
            {
                _state = InstanceState.Waking;
                id = _containerId;
                address = _ready.BaseAddress;
            }
        }
        // It was stopped while it fell asleep (its sleep failed): start it instead.
        if (id is null || address is null) return await RunStartAsync();
        StateChanged?.Invoke(Definition.Name, InstanceState.Waking);
        var started = _time.GetTimestamp();
        var timeout = _lifecycle.ColdStartTimeoutFor(Definition) < MaxWakeTimeout ? _lifecycle.ColdStartTimeoutFor(Definition) : MaxWakeTimeout;
        var room = await _placement.ReserveAsync(this, _lifecycle.ColdStartTimeoutFor(Definition), CancellationToken.None);
        if (room is null && _memory is not null) room = await _memory.CheckAsync(Definition, id, CancellationToken.None);
        if (room is not null) return BackToSleep(room);
        var roomMs = _time.GetElapsedTime(started).TotalMilliseconds;
        var wakeStarted = _time.GetTimestamp();
        var level = Definition.Model.Sleep?.Level ?? 1;
        var failure = _sleepApi is null ? "sleep mode is not wired" : await _sleepApi.WakeAsync(address, level, timeout, _backendKey);
        if (failure is null)
        {
            var took = _time.GetElapsedTime(started);
            lock (_lock)
            {
                _start = null;
                _state = InstanceState.Ready;
                LastError = null;
            }
            _placement.LeaveHostMemory(this);
            LogWoke(_logger, Definition.Name, took.TotalMilliseconds, roomMs, _time.GetElapsedTime(wakeStarted).TotalMilliseconds);
            Woke?.Invoke(Definition.Name, took);
            StateChanged?.Invoke(Definition.Name, InstanceState.Ready);
            return _ready with { Woke = true };
        }
        LastError = $"its wake failed ({failure}); it was stopped and started cold instead";
        LogWakeFailed(_logger, Definition.Name, failure);
        await ForceStopAsync("its wake failed");
        return await RunStartAsync();
    }

    // No room for the full share (busy holders past the timeout, or memory held by others): it
    // stays asleep, at its residual share, and the waiters get the reason.
    private ReadyResult BackToSleep(Failure room)
    {
        _placement.ToResidual(this);
        lock (_lock)
        {
            _start = null;
            _state = InstanceState.Sleeping;
        }
        StateChanged?.Invoke(Definition.Name, InstanceState.Sleeping);
        LogWakeWaits(_logger, Definition.Name, room.Message);
        return ReadyResult.Fail(room);
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Putting {Instance} to sleep (level {Level}): {Reason}")]
    private static partial void LogFallingAsleep(ILogger logger, string instance, int level, string reason);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Information, Message = "{Instance} is asleep after {ElapsedMs:0} ms")]
    private static partial void LogAsleep(ILogger logger, string instance, double elapsedMs);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Warning, Message = "{Instance} was stopped instead of sleeping, and will not be put to sleep again until the router restarts: {Reason}")]
    private static partial void LogSleepFailed(ILogger logger, string instance, string reason);

    [LoggerMessage(EventId = 3033, Level = LogLevel.Information, Message = "Woke {Instance} in {ElapsedMs:0} ms: room {RoomMs:0} ms, wake_up {WakeUpMs:0} ms")]
    private static partial void LogWoke(ILogger logger, string instance, double elapsedMs, double roomMs, double wakeUpMs);

    [LoggerMessage(EventId = 3034, Level = LogLevel.Warning, Message = "{Instance} failed to wake and is started cold instead: {Reason}")]
    private static partial void LogWakeFailed(ILogger logger, string instance, string reason);

    [LoggerMessage(EventId = 3035, Level = LogLevel.Warning, Message = "{Instance} stays asleep: {Reason}")]
    private static partial void LogWakeWaits(ILogger logger, string instance, string reason);

    [LoggerMessage(EventId = 3036, Level = LogLevel.Information, Message = "{Instance} was not put to sleep: it did not become idle within {Timeout}")]
    private static partial void LogSleepGaveUp(ILogger logger, string instance, string timeout);
}
