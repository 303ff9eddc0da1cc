using System.Collections.Concurrent;

namespace GpuRouter.Forwarding;

/// <summary>
/// A forward's idle timeout and its client's cancellation as one token (YARP's
/// ActivityCancellationTokenSource). Sources are pooled: a reset source keeps its timer, so once the
/// pool is warm a request allocates no source, no linked source and no timer.
/// </summary>
internal sealed class IdleCancellation : CancellationTokenSource
{
    private const int MaxPooled = 1024;
    private static readonly ConcurrentQueue<IdleCancellation> Pool = new();
    private static readonly Action<object?> CancelLinked = static state => ((IdleCancellation)state!).Cancel(throwOnFirstException: false);
    private static int s_pooled;

    private CancellationTokenRegistration _linked;
    private TimeSpan _timeout;

    private IdleCancellation()
    {
    }

    public static IdleCancellation Rent(TimeSpan timeout, CancellationToken linked)
    {
        if (Pool.TryDequeue(out var source)) Interlocked.Decrement(ref s_pooled);
        else source = new IdleCancellation();
        source._timeout = timeout;
        source._linked = linked.UnsafeRegister(CancelLinked, source);
        source.ResetTimeout();
        return source;
    }

    /// <summary>Starts the idle period again: called on every read from the backend.</summary>
    public void ResetTimeout() => CancelAfter(_timeout);

    /// <summary>Gives the source back; a cancelled one cannot be reset and is disposed instead.</summary>
    public void Return()
    {
        // Waits for a cancellation callback already running, so none can reach the next renter.
        _linked.Dispose();
        _linked = default;
        if (TryReset())
        {
            if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            {
                Pool.Enqueue(this);
                return;
            }
            Interlocked.Decrement(ref s_pooled);
        }
        Dispose();
    }
}
