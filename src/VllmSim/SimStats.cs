namespace VllmSim;

/// <summary>
/// Live counters of one simulator, for tests that need to see what the engine did: how many
/// inference requests it accepted, finished and lost, and how many run or wait right now.
/// </summary>
public sealed class SimStats
{
    private long started;
    private long completed;
    private long cancelled;
    private long failed;
    private long rejected;
    private long aborted;
    private int running;
    private int waiting;

    /// <summary>Inference requests accepted after validation (chat, completions, responses, embeddings, rerank).</summary>
    public long RequestsStarted => Volatile.Read(ref started);

    /// <summary>Requests whose full response was written.</summary>
    public long RequestsCompleted => Volatile.Read(ref completed);

    /// <summary>Requests whose client went away before the end; their generation stopped at once.</summary>
    public long RequestsCancelled => Volatile.Read(ref cancelled);

    /// <summary>Requests the server itself cut off: a simulated crash or a shutdown.</summary>
    public long RequestsFailed => Volatile.Read(ref failed);

    /// <summary>Requests a /sleep ended with finish_reason "abort" (vLLM's default sleep mode).</summary>
    public long RequestsAborted => Volatile.Read(ref aborted);

    /// <summary>Requests answered with a 4xx error before they reached the engine.</summary>
    public long RequestsRejected => Volatile.Read(ref rejected);

    /// <summary>Requests holding one of the --max-num-seqs slots.</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>Requests waiting for a slot (or for the engine to wake up).</summary>
    public int Waiting => Volatile.Read(ref waiting);

    internal void OnStarted() => Interlocked.Increment(ref started);

    internal void OnCompleted() => Interlocked.Increment(ref completed);

    internal void OnCancelled() => Interlocked.Increment(ref cancelled);

    internal void OnFailed() => Interlocked.Increment(ref failed);

    internal void OnAborted() => Interlocked.Increment(ref aborted);

    internal void OnRejected() => Interlocked.Increment(ref rejected);

    internal void AddRunning(int delta) => Interlocked.Add(ref running, delta);

    internal void AddWaiting(int delta) => Interlocked.Add(ref waiting, delta);
}
