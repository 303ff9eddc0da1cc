namespace GpuRouter.Lifecycle;

/// <summary>After a failed start the next attempt waits 1 s, 2 s, 4 s ... up to a minute; a success resets it.</summary>
internal sealed class StartBackoff(TimeProvider time)
{
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);
    private int _failures;
    private long _failedAt;

    public void Failed()
    {
        _failures++;
        _failedAt = time.GetTimestamp();
    }

    public void Succeeded() => _failures = 0;

    public int Failures => _failures;

    /// <summary>How long until the next attempt may run; zero when it may run now.</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (_failures == 0) return TimeSpan.Zero;
            var delay = TimeSpan.FromSeconds(Math.Min(Max.TotalSeconds, Math.Pow(2, _failures - 1)));
            var left = delay - time.GetElapsedTime(_failedAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
