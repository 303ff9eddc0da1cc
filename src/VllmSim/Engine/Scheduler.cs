namespace VllmSim.Engine;

/// <summary>
/// vLLM's admission in miniature: at most --max-num-seqs requests hold a slot; the others wait,
/// visible in <see cref="SimStats.Waiting"/> and vllm:num_requests_waiting. It also keeps the
/// tokens the running requests hold, which drive vllm:kv_cache_usage_perc.
/// </summary>
internal sealed class Scheduler(SimOptions options, SimStats stats, SleepState sleep) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.MaxNumSeqs, options.MaxNumSeqs);
    // The KV cache is sized to hold max-num-seqs sequences of max-model-len tokens.
    private readonly double kvCapacity = (double)options.MaxModelLen * options.MaxNumSeqs;
    private long kvTokens;

    public double KvCacheUsage => Math.Clamp(Interlocked.Read(ref kvTokens) / kvCapacity, 0, 1);

    public async ValueTask<SchedulerSlot> AcquireAsync(int promptTokens, CancellationToken ct)
    {
        // The fast path keeps thousands of tiny requests a second off the waiting counters.
        if (!(sleep.IsGateOpen && slots.Wait(0, ct)))
        {
            stats.AddWaiting(1);
            try
            {
                await sleep.WaitAwakeAsync(ct);
                await slots.WaitAsync(ct);
            }
            finally
            {
                stats.AddWaiting(-1);
            }
        }
        stats.AddRunning(1);
        var slot = new SchedulerSlot(this);
        slot.AddTokens(promptTokens);
        return slot;
    }

    internal void AddKvTokens(long delta) => Interlocked.Add(ref kvTokens, delta);

    internal void Release(long heldTokens)
    {
        Interlocked.Add(ref kvTokens, -heldTokens);
        stats.AddRunning(-1);
        slots.Release();
    }

    public void Dispose() => slots.Dispose();
}
