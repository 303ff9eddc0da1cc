using GpuRouter.Admission;

namespace Router.Tests.Admission;

public sealed class RetryAfterEstimatorTests
{
    [Fact]
    public void Suggest_NoHistory_IsAtLeastOneSecond()
    {
        var estimator = new RetryAfterEstimator();

        Assert.Equal(1, estimator.Suggest(queued: 0, limit: 4, TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Suggest_LongQueue_IsCappedByQueueTimeout()
    {
        var estimator = new RetryAfterEstimator();
        estimator.RecordHold(TimeSpan.FromSeconds(60));

        Assert.Equal(120, estimator.Suggest(queued: 100, limit: 2, TimeSpan.FromMinutes(2)));
        Assert.Equal(600, estimator.Suggest(queued: 1000, limit: 1, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void RecordHold_MovesTheAverageGradually()
    {
        var estimator = new RetryAfterEstimator();
        estimator.RecordHold(TimeSpan.FromSeconds(10));

        estimator.RecordHold(TimeSpan.FromSeconds(20));

        Assert.Equal(11, estimator.AverageHoldSeconds, precision: 6);
    }
}
