using GpuRouter.Configuration;
using GpuRouter.Forwarding;
using GpuRouter.Requests;
using GpuRouter.Security;
using GpuRouter.Usage;

namespace Router.Tests.Usage;

public class UsageRecorderTests
{
    private readonly UsageTotals _totals = new(TimeProvider.System);

    [Fact]
    public void Record_ChannelFull_DropsNewestCountsThemAndNeverBlocks()
    {
        var recorder = new UsageRecorder(_totals, new UsageOptions { ChannelCapacity = 2 }, persist: true);
        var events = Enumerable.Range(0, 5).Select(i => Event("n8n", "llama", 200, prompt: i)).ToList();

        foreach (var e in events) recorder.Record(e);

        Assert.Equal(3, recorder.DroppedWhenFull);
        Assert.Equal(2, recorder.Queued);
        Assert.True(recorder.Reader!.TryRead(out var first));
        Assert.True(recorder.Reader.TryRead(out var second));
        Assert.Equal([events[0].Id, events[1].Id], [first.Id, second.Id]);
        // The totals are kept before the channel, so they stay exact even when events are dropped.
        Assert.Equal(5, Assert.Single(_totals.Snapshot()).Requests);
    }

    [Fact]
    public void Record_WithoutPostgres_KeepsTotalsOnly()
    {
        var recorder = new UsageRecorder(_totals, new UsageOptions(), persist: false);

        recorder.Record(Event("webui", "llama", 200, prompt: 10, completion: 4));

        Assert.Null(recorder.Reader);
        Assert.Equal(0, recorder.Queued);
        Assert.Equal(new UsageTotal("webui", "llama", 1, 0, 10, 4), Assert.Single(_totals.Snapshot()));
    }

    [Fact]
    public void Totals_PerClientAndServedModel_CountErrorsFrom400Up()
    {
        var recorder = new UsageRecorder(_totals, new UsageOptions(), persist: false);

        recorder.Record(Event("webui", "llama", 200, prompt: 10, completion: 5));
        recorder.Record(Event("webui", "llama", 399, prompt: 1, completion: 1));
        recorder.Record(Event("webui", "llama", 400));
        recorder.Record(Event("webui", "llama", 503));
        recorder.Record(Event("n8n", "llama", 499));
        recorder.Record(Event("n8n", "bge-m3", 200, prompt: 7));
        recorder.Record(Event("n8n", null, 404));

        Assert.Equal(
            [
                new UsageTotal("n8n", "", 1, 1, 0, 0),
                new UsageTotal("n8n", "bge-m3", 1, 0, 7, 0),
                new UsageTotal("n8n", "llama", 1, 1, 0, 0),
                new UsageTotal("webui", "llama", 4, 2, 11, 6),
            ],
            _totals.Snapshot());
    }

    [Fact]
    public void Record_FromRequestRecord_TakesEveryFieldAndCleansTheModelName()
    {
        var recorder = new UsageRecorder(_totals, new UsageOptions(), persist: true);
        var request = new RequestRecord(new ClientIdentity("webui", ClientSource.Interactive, Admin: false), 0)
        {
            Model = "lla\0ma" + new string('x', 300),
            ServedBy = "llama",
            Instance = "llama_0",
            Gpu = "0",
            EstimatedTokens = 12,
            Usage = new UsageCounts(11, 3),
            QueueWait = TimeSpan.FromMilliseconds(7.4),
            ColdStart = TimeSpan.FromMilliseconds(1500),
            TimeToFirstByte = TimeSpan.FromMilliseconds(42.6),
        };

        recorder.Record(RequestEvents.Usage(request, 200, TimeSpan.FromMilliseconds(120), TimeProvider.System.GetUtcNow()));

        Assert.True(recorder.Reader!.TryRead(out var e));
        Assert.Equal(("webui", "interactive", "llama", "llama_0", "0", 200), (e.Client, e.Source, e.ModelServed, e.Instance, e.Gpu, e.Status));
        Assert.Equal((11, 3, 12), (e.PromptTokens, e.CompletionTokens, e.EstimatedPromptTokens));
        Assert.Equal((7, 43, 120, 1500), (e.QueueMs, e.TtftMs, e.DurationMs, e.ColdStartMs));
        Assert.StartsWith("llama", e.ModelRequested, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', e.ModelRequested!);
        Assert.True(e.ModelRequested!.Length <= 200);
    }

    [Fact]
    public void Record_AfterWarmUp_AllocatesNothingOnTheRequestPath()
    {
        var recorder = new UsageRecorder(_totals, new UsageOptions { ChannelCapacity = 64 }, persist: true);
        var request = new RequestRecord(new ClientIdentity("n8n", ClientSource.Batch, Admin: false), 0)
        {
            Model = "llama", ServedBy = "llama", Instance = "llama_1", Gpu = "1", Usage = new UsageCounts(20, 8),
            TimeToFirstByte = TimeSpan.FromMilliseconds(30),
        };
        // The first calls add the client and model pair and grow the channel's buffer: the one allowed cost.
        RecordAndDrain(recorder, request, 1_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        RecordAndDrain(recorder, request, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(11_000, Assert.Single(_totals.Snapshot()).Requests);
    }

    private static void RecordAndDrain(UsageRecorder recorder, RequestRecord request, int times)
    {
        for (var i = 0; i < times; i++)
        {
            recorder.Record(RequestEvents.Usage(request, 200, TimeSpan.FromMilliseconds(120), TimeProvider.System.GetUtcNow()));
            recorder.Reader!.TryRead(out _);
        }
    }

    internal static UsageEvent Event(string client, string? model, int status, int prompt = 0, int completion = 0) => new(
        Guid.CreateVersion7(), DateTimeOffset.UtcNow, client, "batch", model, model, model is null ? null : model + "_1", "1",
        status, prompt, completion, prompt, 0, null, 5, null);
}
