namespace GpuRouter.Security;

/// <summary>One client's held requests against its limit (null: counted, never refused).</summary>
internal sealed class HeldCount(int? limit)
{
    private int _current;

    public int Current => Volatile.Read(ref _current);

    public bool TryEnter()
    {
        if (limit is not { } max)
        {
            Interlocked.Increment(ref _current);
            return true;
        }
        while (true)
        {
            var seen = Volatile.Read(ref _current);
            if (seen >= max) return false;
            if (Interlocked.CompareExchange(ref _current, seen + 1, seen) == seen) return true;
        }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}
