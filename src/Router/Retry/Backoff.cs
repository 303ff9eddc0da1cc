namespace GpuRouter.Retry;

/// <summary>
/// Exponential backoff as a state its owner queries: each failure doubles the wait, from
/// <c>first</c> up to <c>max</c>; a success starts over. The one copy of the rule for container
/// starts, the usage writer and the Docker event stream.
/// </summary>
/// <remarks>
/// Not Polly's retry strategy: that runs the attempts itself and sleeps in between, while each of
/// these callers goes on working during the wait (an owner answers requests with Retry-After, the
/// usage writer keeps draining its channel so /admin/usage stays current, the event watcher starts
/// over once connected).
/// </remarks>
internal sealed class Backoff(TimeSpan first, TimeSpan max, TimeProvider time)
{
    private int _failures;
    private long _failedAt;

    public int Failures => _failures;

    /// <summary>The wait that the failures so far call for: zero before the first, then first, 2 x first ... max.</summary>
    public TimeSpan Delay => _failures == 0
        ? TimeSpan.Zero
        : TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, _failures - 1)));

    /// <summary>How long until the next attempt may run; zero when it may run now.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = Delay - time.GetElapsedTime(_failedAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Records a failure now; returns the wait before the next attempt.</summary>
    public TimeSpan Failed()
    {
        _failures++;
        _failedAt = time.GetTimestamp();
        return Delay;
    }

    public void Succeeded() => _failures = 0;
}
