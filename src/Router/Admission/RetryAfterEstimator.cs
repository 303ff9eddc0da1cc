namespace GpuRouter.Admission;

/// <summary>
/// Suggests a Retry-After for refused requests from how long slots are recently held. The
/// queue ahead of a newcomer drains at about <c>limit / averageHold</c> requests per second, so
/// a client asked to come back after <c>(queued + 1) * averageHold / limit</c> finds room
/// without polling. The average is exponentially weighted so that it follows a model whose
/// answers grew longer (say, a night batch) within a few dozen requests. Not thread-safe: the
/// gate's lock guards it.
/// </summary>
internal sealed class RetryAfterEstimator
{
    // Weight of the newest sample: ~20 requests dominate the average.
    private const double Smoothing = 0.1;

    // Until the first release there is nothing to learn from; one second keeps clients polite
    // without making them wait long for a fresh instance.
    private const double InitialHoldSeconds = 1;

    // Without a queue timeout to bound the hint, never send clients away for more than this.
    private const int MaxSeconds = 600;

    private double _averageHoldSeconds = InitialHoldSeconds;
    private bool _hasSamples;

    public double AverageHoldSeconds => _averageHoldSeconds;

    public void RecordHold(TimeSpan hold)
    {
        var seconds = Math.Max(0, hold.TotalSeconds);
        _averageHoldSeconds = _hasSamples
            ? _averageHoldSeconds + (Smoothing * (seconds - _averageHoldSeconds))
            : seconds;
        _hasSamples = true;
    }

    /// <summary>Whole seconds, at least 1, at most the queue timeout when it is finite.</summary>
    public int Suggest(int queued, int limit, TimeSpan queueTimeout)
    {
        var estimate = (queued + 1) * _averageHoldSeconds / Math.Max(1, limit);
        var cap = queueTimeout > TimeSpan.Zero ? Math.Min(MaxSeconds, Math.Ceiling(queueTimeout.TotalSeconds)) : MaxSeconds;
        return (int)Math.Clamp(Math.Ceiling(estimate), 1, Math.Max(1, cap));
    }
}
