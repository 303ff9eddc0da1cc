namespace GpuRouter.Timeline;

/// <summary>
/// The last finished requests, newest first, in a fixed ring: the request path adds one per
/// request under a short lock (a struct copy, no allocation), the status page reads a copy.
/// </summary>
internal sealed class RecentRequests
{
    public const int DefaultCapacity = 200;

    // A client may send any string as "model" (up to the body limit): the ring keeps a bounded part,
    // so 200 entries can never hold more than a few hundred KB of client text.
    internal const int MaxModelLength = 200;

    private readonly Lock _lock = new();
    private readonly RecentRequest[] _ring;
    private long _added;

    public RecentRequests(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new RecentRequest[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Requests recorded since the start, the ones that fell out of the ring included.</summary>
    public long Total { get { lock (_lock) return _added; } }

    public void Add(in RecentRequest request)
    {
        var entry = request.Model is { Length: > MaxModelLength } model
            ? request with { Model = string.Concat(model.AsSpan(0, MaxModelLength), "…") }
            : request;
        lock (_lock)
        {
            _ring[(int)(_added % _ring.Length)] = entry;
            _added++;
        }
    }

    /// <summary>Up to <paramref name="limit"/> requests, newest first.</summary>
    public RecentRequest[] Latest(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 0);
        lock (_lock)
        {
            var count = (int)Math.Min(Math.Min(limit, _ring.Length), _added);
            var result = new RecentRequest[count];
            for (var i = 0; i < count; i++)
                result[i] = _ring[(int)((_added - 1 - i) % _ring.Length)];
            return result;
        }
    }
}
