namespace GpuRouter.Admission;

/// <summary>
/// A request queued at an <see cref="InstanceGate"/>. Every field except the completion source
/// is guarded by the gate's lock until the waiter leaves the queue; whoever removes it (grant,
/// timeout, cancellation or close) owns the single completion, which always runs outside the
/// lock.
/// </summary>
internal sealed class Waiter(InstanceGate gate, RequestPriority priority, TimeSpan queueTimeout, long enqueuedAt)
{
    // Asynchronous continuations: the completing thread may be a releasing request or a timer,
    // and must not run the next request's proxy code inline.
    private readonly TaskCompletionSource<Admission> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InstanceGate Gate => gate;

    public RequestPriority Priority => priority;

    public TimeSpan QueueTimeout => queueTimeout;

    public long EnqueuedAt => enqueuedAt;

    public Task<Admission> Task => _completion.Task;

    public bool IsQueued { get; set; }

    public Waiter? Previous { get; set; }

    public Waiter? Next { get; set; }

    /// <summary>Links waiters removed under the lock so they can be completed after it.</summary>
    public Waiter? NextToComplete { get; set; }

    /// <summary>What the waiter gets once removed; ignored when <see cref="CancelledBy"/> is set.</summary>
    public Admission Outcome { get; set; }

    public CancellationToken? CancelledBy { get; set; }

    public ITimer? Timer { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Disarms the timer and the cancellation callback, then completes. Never under the lock.</summary>
    public void Complete()
    {
        Timer?.Dispose();
        Timer = null;
        // Unregister rather than Dispose: Dispose would wait for a callback running on another
        // thread, and that callback may be the one completing us.
        Registration.Unregister();
        if (CancelledBy is { } token)
        {
            _completion.TrySetCanceled(token);
        }
        else
        {
            _completion.TrySetResult(Outcome);
        }
    }

    /// <summary>Completes a chain built with <see cref="NextToComplete"/>, in order.</summary>
    public static void CompleteAll(Waiter? chain)
    {
        while (chain is not null)
        {
            var next = chain.NextToComplete;
            chain.NextToComplete = null;
            chain.Complete();
            chain = next;
        }
    }
}
