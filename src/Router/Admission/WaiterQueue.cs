namespace GpuRouter.Admission;

/// <summary>
/// One intrusive FIFO list per priority. Intrusive so that a cancelled or timed-out waiter
/// leaves in O(1) without a search and without a node allocation. Not thread-safe: the owning
/// gate's lock guards it.
/// </summary>
internal sealed class WaiterQueue
{
    private const int PriorityCount = 3;

    private readonly Waiter?[] _heads = new Waiter?[PriorityCount];
    private readonly Waiter?[] _tails = new Waiter?[PriorityCount];

    public int Count { get; private set; }

    public static bool IsValid(RequestPriority priority) => (uint)priority < PriorityCount;

    public void Enqueue(Waiter waiter)
    {
        var p = (int)waiter.Priority;
        waiter.Previous = _tails[p];
        waiter.Next = null;
        if (_tails[p] is { } tail)
        {
            tail.Next = waiter;
        }
        else
        {
            _heads[p] = waiter;
        }

        _tails[p] = waiter;
        waiter.IsQueued = true;
        Count++;
    }

    /// <summary>Removes and returns the oldest waiter of the most urgent non-empty priority.</summary>
    public Waiter? Dequeue()
    {
        for (var p = 0; p < PriorityCount; p++)
        {
            if (_heads[p] is { } head)
            {
                Remove(head);
                return head;
            }
        }

        return null;
    }

    public void Remove(Waiter waiter)
    {
        var p = (int)waiter.Priority;
        if (waiter.Previous is { } previous)
        {
            previous.Next = waiter.Next;
        }
        else
        {
            _heads[p] = waiter.Next;
        }

        if (waiter.Next is { } next)
        {
            next.Previous = waiter.Previous;
        }
        else
        {
            _tails[p] = waiter.Previous;
        }

        waiter.Previous = null;
        waiter.Next = null;
        waiter.IsQueued = false;
        Count--;
    }
}
