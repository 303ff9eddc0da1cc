using GpuRouter.Failures;

namespace GpuRouter.Instances;

/// <summary>
/// The one owner of an instance's lifecycle. Callers never read the state and then act on it:
/// they ask the owner for a ready backend, and the owner decides inside itself whether to
/// start, wait or answer at once.
/// </summary>
public interface IInstanceOwner
{
    InstanceDefinition Definition { get; }

    InstanceState State { get; }

    /// <summary>The container running it, when the router started one.</summary>
    string? ContainerId { get; }

    /// <summary>Why the last start failed or the backend died; null once it is ready again.</summary>
    string? LastError { get; }

    /// <summary>How often it crashed and was restarted.</summary>
    int Restarts { get; }

    /// <summary>Starts it without a request (admin preload, night switch); returns at once.</summary>
    void Preload();

    /// <summary>Drains, then stops it (admin); a no-op for a server the router does not own.</summary>
    Task StopAsync(string reason, TimeSpan drainTimeout, CancellationToken ct);

    /// <summary>
    /// The one drain: waits for what the instance holds, then stops it or, where the request allows
    /// and the instance can, puts it to sleep (night switch, admin stop).
    /// </summary>
    Task<LeaveOutcome> LeaveAsync(LeaveRequest request, CancellationToken ct);

    /// <summary>
    /// An operator asked it to sleep: null when the sleep was taken up (it runs in the background,
    /// once the instance is idle, up to <paramref name="drainTimeout"/>), else why it cannot sleep.
    /// </summary>
    Failure? RequestSleep(string reason, TimeSpan drainTimeout);

    /// <summary>Resolves when the backend answers; reports progress while a start is under way.</summary>
    ValueTask<ReadyResult> EnsureReadyAsync(IProgress<StartProgress>? progress, CancellationToken cancellationToken);

    /// <summary>A forward could not connect or was cut off: the owner checks on its backend in the background.</summary>
    void ReportUnreachable();

    /// <summary>
    /// A forward could not connect: true when the owner finds its backend gone (its container no
    /// longer runs, or Docker cannot be asked) and has marked it for a start; false when the
    /// backend is still there or the router does not own it.
    /// </summary>
    ValueTask<bool> CheckBackendLostAsync();

    /// <summary>
    /// Whether the owner's lock can be taken within <paramref name="bound"/>: the systemd
    /// watchdog's check that no lifecycle step is deadlocked. Blocks the caller up to the bound.
    /// </summary>
    bool Responds(TimeSpan bound);
}
