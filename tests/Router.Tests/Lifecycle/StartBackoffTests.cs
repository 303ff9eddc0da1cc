using GpuRouter.Lifecycle;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Lifecycle;

public class StartBackoffTests
{
    [Fact]
    public void Remaining_GrowsWithEachFailureAndResetsOnSuccess()
    {
        var clock = new FakeTimeProvider();
        var backoff = StartBackoff.Create(clock);
        Assert.Equal(TimeSpan.Zero, backoff.Remaining);
        backoff.Failed();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Remaining);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, backoff.Remaining);
        backoff.Failed();
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Remaining);
        backoff.Failed();
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Remaining);
        for (var i = 0; i < 10; i++) backoff.Failed();
        Assert.Equal(StartBackoff.Max, backoff.Remaining);
        backoff.Succeeded();
        Assert.Equal(TimeSpan.Zero, backoff.Remaining);
    }
}
