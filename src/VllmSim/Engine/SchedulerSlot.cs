namespace VllmSim.Engine;

/// <summary>One running request's hold on a --max-num-seqs slot and on KV cache tokens.</summary>
internal sealed class SchedulerSlot(Scheduler scheduler) : IDisposable
{
    private long heldTokens;
    private int released;

    public void AddTokens(int count)
    {
        heldTokens += count;
        scheduler.AddKvTokens(count);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            scheduler.Release(heldTokens);
        }
    }
}
