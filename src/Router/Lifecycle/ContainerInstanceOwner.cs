using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Failures;
using GpuRouter.Instances;
using GpuRouter.Retry;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The one owner of a Docker-started instance. Every decision (start, wake, wait, sleep, stop) is
/// taken here under one lock: a request asks for a ready backend and gets the running start's or
/// wake's result, a fresh one, or a failure with Retry-After; nobody reads the state and then acts
/// on it. Idle stops and sleeps go through the gate's idle reservation, so a request arriving
/// meanwhile waits for the fresh start or the wake instead of failing or reaching a sleeper.
/// </summary>
internal sealed partial class ContainerInstanceOwner : IInstanceOwner, IPlacedInstance
{
    private readonly IInstanceLoad _gate;
    private readonly ContainerStarter _starter;
    private readonly GpuPlacement _placement;
    private readonly GpuMemoryCheck? _memory;
    private readonly IDockerClient _docker;
    private readonly LifecycleOptions _lifecycle;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Backoff _backoff;

    // The container's own API key (another host), sent with every request to it; null locally.
    private readonly string? _backendKey;
    private readonly Lock _lock = new();
    private InstanceState _state = InstanceState.Stopped;
    private Task<ReadyResult>? _start;
    private ReadyResult _ready;
    private string? _containerId;
    private TaskCompletionSource _died = NewSignal();

    public ContainerInstanceOwner(
        InstanceDefinition definition, IInstanceLoad gate, ContainerStarter starter, GpuPlacement placement,
        IDockerClient docker, LifecycleOptions lifecycle, TimeProvider time, ILogger logger, GpuMemoryCheck? memory = null,
        VllmSleepApi? sleepApi = null, SleepVerifier? verifier = null)
    {
        Definition = definition;
        _gate = gate;
        _starter = starter;
        _placement = placement;
        _docker = docker;
        _lifecycle = lifecycle;
        _time = time;
        _logger = logger;
        _memory = memory;
        _sleepApi = sleepApi;
        _verifier = verifier;
        _backoff = StartBackoff.Create(time);
        _backendKey = starter.KeyFor(definition.Name);
    }

    public InstanceDefinition Definition { get; }

    public InstanceState State { get { lock (_lock) return _state; } }

    public string? ContainerId { get { lock (_lock) return _containerId; } }

    public string? LastError { get; private set; }

    public int Restarts { get; private set; }

    public event Action<string, InstanceState>? StateChanged;

    public event Action<string, TimeSpan>? ColdStarted;

    public event Action<string, string>? Restarted;

    /// <summary>A sleep was verified: the instance and how long /sleep and the check took.</summary>
    public event Action<string, TimeSpan>? Slept;

    /// <summary>A wake finished: the instance and how long it took, room-making included.</summary>
    public event Action<string, TimeSpan>? Woke;

    string IPlacedInstance.Name => Definition.Name;

    string IPlacedInstance.Host => Definition.Host ?? HostMemoryOptions.Local;

    IReadOnlyList<int> IPlacedInstance.Gpus => Definition.Gpus;

    double IPlacedInstance.Share => Definition.GpuMemoryUtilization;

    long IPlacedInstance.LastActivity => _gate.LastActivity;

    int IPlacedInstance.Busy => _gate.InFlight + _gate.Queued;

    SleepOptions? IPlacedInstance.Sleep => Definition.Model.Sleep;

    bool IPlacedInstance.CanSleep => Definition.Model.Sleep is not null && !_sleepBarred;

    RoomPhase IPlacedInstance.Phase
    {
        get
        {
            lock (_lock)
            {
                if (_start is not null || _fallingAsleep is not null) return RoomPhase.Busy;
                return _state switch
                {
                    InstanceState.Ready => RoomPhase.Awake,
                    InstanceState.Sleeping => RoomPhase.Asleep,
                    _ => RoomPhase.Busy,
                };
            }
        }
    }

    public ValueTask<ReadyResult> EnsureReadyAsync(IProgress<StartProgress>? progress, CancellationToken cancellationToken)
    {
        Task<ReadyResult> start;
        lock (_lock)
        {
            if (_state == InstanceState.Ready) return ValueTask.FromResult(_ready);
            if (_start is null)
            {
                if (_state == InstanceState.Failed && _backoff.Remaining is { } wait && wait > TimeSpan.Zero)
                {
                    return ValueTask.FromResult(ReadyResult.Fail(Failure.Unavailable("start_backoff",
                        $"{Definition.Name} failed to start and is backing off: {LastError}", wait)));
                }
                _start = _state == InstanceState.Sleeping ? RunWakeAsync() : RunStartAsync();
            }
            start = _start;
        }
        // A waiter that gives up stops waiting; the start itself goes on for the others.
        return new ValueTask<ReadyResult>(start.WaitAsync(cancellationToken));
    }

    public void Preload() => _ = EnsureReadyAsync(null, CancellationToken.None).AsTask();

    public bool Responds(TimeSpan bound)
    {
        if (!_lock.TryEnter(bound)) return false;
        _lock.Exit();
        return true;
    }

    private async Task<ReadyResult> RunStartAsync()
    {
        SetState(InstanceState.Starting);
        var started = _time.GetTimestamp();
        StartOutcome outcome;
        try
        {
            var room = await _placement.ReserveAsync(this, _lifecycle.ColdStartTimeoutFor(Definition), CancellationToken.None);
            // The shares fit; NVML must agree that the memory is really free (another program may hold it).
            if (room is null && _memory is not null) room = await _memory.CheckAsync(Definition, ContainerId, CancellationToken.None);
            outcome = room is not null
                ? StartOutcome.Fail(room)
                : await _starter.StartAsync(Definition, OnCreated, () => SetState(InstanceState.Loading), _died.Task, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException)
        {
            outcome = StartOutcome.Fail(Failure.Unavailable("start_failed", $"{Definition.Name} could not start: {e.Message}", TimeSpan.FromSeconds(10)));
        }
        return Finish(outcome, _time.GetElapsedTime(started));
    }

    private ReadyResult Finish(StartOutcome outcome, TimeSpan elapsed)
    {
        lock (_lock)
        {
            _start = null;
            if (outcome.Error is null)
            {
                _ready = ReadyResult.Ready(outcome.Address!) with { BackendKey = _backendKey };
                _backoff.Succeeded();
                LastError = null;
                _state = InstanceState.Ready;
            }
            else
            {
                LastError = outcome.Error.Message;
                // The backoff spares a model that cannot start; while Docker (or the instance's host)
                // is away each attempt costs one refused connection, and the first request after it
                // returns must start.
                if (outcome.Error.Code is not (ContainerStarter.DockerUnavailableCode or Failure.HostUnreachableCode)) _backoff.Failed();
                _state = InstanceState.Failed;
                if (outcome.OutOfMemory) LowerLimitAfterOom();
            }
        }
        if (outcome.Error is null)
        {
            LogReady(_logger, Definition.Name, elapsed.TotalMilliseconds);
            ColdStarted?.Invoke(Definition.Name, elapsed);
        }
        else
        {
            _placement.Release(this);
            LogStartFailed(_logger, Definition.Name, outcome.Error.Message);
        }
        StateChanged?.Invoke(Definition.Name, outcome.Error is null ? InstanceState.Ready : InstanceState.Failed);
        return outcome.Error is null ? _ready : ReadyResult.Fail(outcome.Error);
    }

    private void OnCreated(string id)
    {
        lock (_lock)
        {
            _containerId = id;
            _died = NewSignal();
        }
    }

    private void SetState(InstanceState state)
    {
        lock (_lock) _state = state;
        StateChanged?.Invoke(Definition.Name, state);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "{Instance} is ready after {ElapsedMs:0} ms")]
    private static partial void LogReady(ILogger logger, string instance, double elapsedMs);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "{Instance} failed to start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string instance, string reason);
}
