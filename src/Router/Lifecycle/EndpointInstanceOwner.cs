using GpuRouter.Failures;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

/// <summary>An already-running server (a remote box, or a simulator on loopback): always ready, never started.</summary>
internal sealed class EndpointInstanceOwner(InstanceDefinition definition) : IInstanceOwner
{
    private readonly ReadyResult _ready = ReadyResult.Ready(definition.Endpoint!);

    public InstanceDefinition Definition => definition;

    public InstanceState State => InstanceState.Ready;

    public string? ContainerId => null;

    public string? LastError => null;

    public int Restarts => 0;

    public void Preload()
    {
        // Already running: nothing to start.
    }

    public Task StopAsync(string reason, TimeSpan drainTimeout, CancellationToken ct) => Task.CompletedTask;

    public Task<LeaveOutcome> LeaveAsync(LeaveRequest request, CancellationToken ct)
    {
        request.Drained?.Invoke();
        return Task.FromResult(LeaveOutcome.Stopped);
    }

    public Failure? RequestSleep(string reason, TimeSpan drainTimeout) =>
        Failure.InvalidRequest($"{definition.Name} is the server at {definition.Endpoint}: the router routes to it but never starts, stops or puts it to sleep.", code: "sleep_not_configured");

    public ValueTask<ReadyResult> EnsureReadyAsync(IProgress<StartProgress>? progress, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_ready);

    public void ReportUnreachable()
    {
        // A remote server is not ours to restart; the client's 503 says it could not be reached.
    }

    public ValueTask<bool> CheckBackendLostAsync() => ValueTask.FromResult(false);

    /// <summary>Nothing to lock: it holds no state that changes.</summary>
    public bool Responds(TimeSpan bound) => true;
}
