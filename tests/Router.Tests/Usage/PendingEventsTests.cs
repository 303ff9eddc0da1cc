using GpuRouter.Usage;

namespace Router.Tests.Usage;

public class PendingEventsTests
{
    [Fact]
    public void Add_BeyondCapacity_DropsTheOldestAndCountsThem()
    {
        var pending = new PendingEvents(capacity: 3);
        var events = Enumerable.Range(0, 5).Select(i => UsageRecorderTests.Event("n8n", "llama", 200, prompt: i)).ToList();

        var kept = events.Select(e => pending.Add(e)).ToList();

        Assert.Equal([true, true, true, false, false], kept);
        Assert.Equal(3, pending.Count);
        Assert.Equal(2, pending.Dropped);
        var batch = new List<UsageEvent>();
        pending.Peek(batch, 10);
        Assert.Equal(events[2..].Select(e => e.Id), batch.Select(e => e.Id));
    }

    [Fact]
    public void Peek_KeepsEventsUntilRemoved()
    {
        var pending = new PendingEvents(capacity: 10);
        var events = Enumerable.Range(0, 4).Select(i => UsageRecorderTests.Event("webui", "llama", 200, prompt: i)).ToList();
        foreach (var e in events) pending.Add(e);
        var batch = new List<UsageEvent>();

        pending.Peek(batch, 3);
        pending.Peek(batch, 3);
        Assert.Equal(events[..3].Select(e => e.Id), batch.Select(e => e.Id));
        Assert.Equal(4, pending.Count);

        pending.Remove(batch.Count);
        pending.Peek(batch, 3);
        Assert.Equal([events[3].Id], batch.Select(e => e.Id));
        Assert.Equal(1, pending.Count);
    }
}
