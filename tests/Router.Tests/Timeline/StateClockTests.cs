using GpuRouter.Timeline;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Timeline;

public sealed class StateClockTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Since_TheTimeOfTheLastChange_WhileThatIsStillTheState()
    {
        var clock = new StateClock(_time);
        clock.Changed("llama_0", "Starting");
        _time.Advance(TimeSpan.FromSeconds(2));
        clock.Changed("llama_0", "Loading");
        _time.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(_time.GetUtcNow().AddSeconds(-40), clock.Since("llama_0", "Loading"));
    }

    [Fact]
    public void Since_NullForAnotherState_OrAnInstanceNeverSeenChanging()
    {
        var clock = new StateClock(_time);
        clock.Changed("llama_0", "Loading");

        // The owner is already Ready but its event has not arrived yet: no time rather than a wrong one.
        Assert.Null(clock.Since("llama_0", "Ready"));
        Assert.Null(clock.Since("bge_m3_1", "Ready"));
    }
}
