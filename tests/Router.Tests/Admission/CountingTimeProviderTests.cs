namespace Router.Tests.Admission;

public sealed class CountingTimeProviderTests
{
    [Fact]
    public void ActiveTimers_CountsArmedTimers_UntilFiredDisposedOrStopped()
    {
        var clock = new CountingTimeProvider();
        var fired = 0;
        using var oneShot = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => fired += 10, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var disposed = clock.CreateTimer(_ => fired += 100, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var idle = clock.CreateTimer(_ => fired += 1000, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Equal(3, clock.ActiveTimers);

        disposed.Dispose();
        Assert.Equal(2, clock.ActiveTimers);
        clock.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal(1 + 20, fired);
        Assert.Equal(1, clock.ActiveTimers);
        periodic.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, clock.ActiveTimers);
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        Assert.Equal(0, clock.ActiveTimers);
    }
}
