using GpuRouter.Timeline;

namespace Router.Tests.Timeline;

public sealed class RecentRequestsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static RecentRequest Request(int n, string? model = "llama") =>
        new(Start.AddSeconds(n), "webui", model, "llama_0", "0", 200, n, null, 10, n, 12.5, "ok");

    [Fact]
    public void Latest_NewestFirst_NoMoreThanAsked()
    {
        var recent = new RecentRequests(capacity: 10);
        for (var n = 1; n <= 4; n++) recent.Add(Request(n));

        Assert.Equal([4, 3, 2, 1], recent.Latest(10).Select(r => (int)r.QueueMs));
        Assert.Equal([4, 3], recent.Latest(2).Select(r => (int)r.QueueMs));
        Assert.Empty(recent.Latest(0));
        Assert.Equal(4, recent.Total);
    }

    [Fact]
    public void Add_PastCapacity_KeepsOnlyTheNewest_CountsAll()
    {
        var recent = new RecentRequests(capacity: 3);
        for (var n = 1; n <= 8; n++) recent.Add(Request(n));

        Assert.Equal([8, 7, 6], recent.Latest(100).Select(r => (int)r.QueueMs));
        Assert.Equal(8, recent.Total);
        Assert.Equal(3, recent.Capacity);
    }

    [Fact]
    public void Add_AHugeModelName_IsCut_SoTheRingStaysSmall()
    {
        var recent = new RecentRequests(capacity: 2);
        recent.Add(Request(1, model: new string('m', 1_000_000)));
        recent.Add(Request(2, model: new string('x', RecentRequests.MaxModelLength)));

        var latest = recent.Latest(2);
        Assert.Equal(new string('x', RecentRequests.MaxModelLength), latest[0].Model);
        Assert.Equal(new string('m', RecentRequests.MaxModelLength) + "…", latest[1].Model);
    }

    [Fact]
    public void Add_AllocatesNothing()
    {
        var recent = new RecentRequests();
        var request = Request(1);
        // Warm-up: the JIT finishes with the loop before anything is measured.
        for (var i = 0; i < 1_000; i++) recent.Add(request);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) recent.Add(request);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task Add_FromManyThreadsWhileRead_LosesNothing_NeverTearsARecord()
    {
        var recent = new RecentRequests(capacity: 64);
        using var stop = new CancellationTokenSource();
        var torn = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Each writer sets QueueMs and CompletionTokens to the same number: a torn copy would differ.
                foreach (var r in recent.Latest(64))
                    if ((long)r.QueueMs != r.CompletionTokens) Interlocked.Increment(ref torn);
            }
        });
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var n = 0; n < 20_000; n++) recent.Add(Request(w * 100_000 + n));
        })).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await reader;

        Assert.Equal(80_000, recent.Total);
        Assert.Equal(64, recent.Latest(1_000).Length);
        Assert.Equal(0, torn);
    }
}
