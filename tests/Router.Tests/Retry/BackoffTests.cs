using GpuRouter.Retry;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Retry;

public class BackoffTests
{
    [Fact]
    public void Failed_ReturnsDoublingWaitsUpToTheMaximum_AndSuccessStartsOver()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), new FakeTimeProvider());

        Assert.Equal(TimeSpan.Zero, backoff.Delay);
        Assert.Equal(
            [250, 500, 1000, 2000, 2000],
            Enumerable.Range(0, 5).Select(_ => backoff.Failed().TotalMilliseconds));
        Assert.Equal(5, backoff.Failures);
        backoff.Succeeded();
        Assert.Equal(TimeSpan.Zero, backoff.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(250), backoff.Failed());
    }

    [Fact]
    public void Remaining_CountsDownOnTheInjectedClockFromTheLastFailure()
    {
        var clock = new FakeTimeProvider();
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), clock);
        backoff.Failed();
        backoff.Failed();

        clock.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.Remaining);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, backoff.Remaining);
    }

    [Fact]
    public void Delay_AfterVeryManyFailures_StaysAtTheMaximum()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new FakeTimeProvider());
        for (var i = 0; i < 5000; i++) backoff.Failed();

        Assert.Equal(TimeSpan.FromSeconds(60), backoff.Delay);
    }
}
