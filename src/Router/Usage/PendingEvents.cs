namespace GpuRouter.Usage;

/// <summary>
/// The writer's buffer of events not yet in PostgreSQL; holds them through an outage. Only the
/// writer changes it; the admin endpoint reads the counts from other threads.
/// </summary>
internal sealed class PendingEvents(int capacity)
{
    private readonly Queue<UsageEvent> _queue = new();
    private int _count;
    private long _dropped;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Oldest events dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Adds an event; when full, drops the oldest so the newest history survives a long outage.</summary>
    /// <returns>false when an event was dropped to make room.</returns>
    public bool Add(in UsageEvent e)
    {
        var dropped = false;
        if (_queue.Count >= capacity)
        {
            _queue.Dequeue();
            Interlocked.Increment(ref _dropped);
            dropped = true;
        }
        _queue.Enqueue(e);
        Volatile.Write(ref _count, _queue.Count);
        return !dropped;
    }

    /// <summary>Copies up to <paramref name="max"/> of the oldest events into <paramref name="batch"/>, keeping them here.</summary>
    public void Peek(List<UsageEvent> batch, int max)
    {
        batch.Clear();
        foreach (var e in _queue)
        {
            if (batch.Count == max) break;
            batch.Add(e);
        }
    }

    /// <summary>Forgets the oldest <paramref name="count"/> events once they are written (or rejected).</summary>
    public void Remove(int count)
    {
        for (var i = 0; i < count && _queue.Count > 0; i++) _queue.Dequeue();
        Volatile.Write(ref _count, _queue.Count);
    }
}
