using System.Threading.Channels;
using GpuRouter.Configuration;
using GpuRouter.Proxy;

namespace GpuRouter.Usage;

/// <summary>
/// Takes each finished request from the request path: adds it to the in-memory totals and, when
/// PostgreSQL is configured, hands it to <see cref="UsageWriter"/> through a bounded channel.
/// Never blocks and never throws: usage is not on the request's critical path.
/// </summary>
internal sealed class UsageRecorder
{
    // Longer names are cut: a client may send any string as "model", and a row should stay small.
    private const int MaxNameLength = 200;

    private readonly UsageTotals _totals;
    private readonly TimeProvider _time;
    private readonly Channel<UsageEvent>? _channel;
    private long _droppedWhenFull;

    public UsageRecorder(UsageTotals totals, UsageOptions options, TimeProvider time, bool persist)
    {
        _totals = totals;
        _time = time;
        if (!persist) return;
        // Full policy: drop the newest event and count it. The channel is only full when the
        // writer is stuck inside one database round trip (otherwise it drains into its own outage
        // buffer), and then what is queued stays a gap-free run right behind the batch in flight:
        // the loss is one gap at the end, not holes inside the history being saved. Wait mode is
        // never waited on here: TryWrite returns false at once when full, so the request path
        // counts the drop itself, with no callback.
        _channel = Channel.CreateBounded<UsageEvent>(new BoundedChannelOptions(options.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            // The writer's continuation must not run on the request's thread.
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>The writer's end; null when usage is kept in memory only.</summary>
    public ChannelReader<UsageEvent>? Reader => _channel?.Reader;

    /// <summary>Events lost because the channel was full (newest dropped).</summary>
    public long DroppedWhenFull => Interlocked.Read(ref _droppedWhenFull);

    /// <summary>Events waiting in the channel for the writer.</summary>
    public int Queued => _channel?.Reader.Count ?? 0;

    public void Record(RequestRecord record, int status, TimeSpan duration)
    {
        var now = _time.GetUtcNow();
        Record(new UsageEvent(
            // The id only keys the PostgreSQL row; a new one reads the random source (a syscall).
            _channel is null ? Guid.Empty : Guid.CreateVersion7(now),
            now,
            record.Client.Name,
            record.Client.Source == ClientSource.Interactive ? "interactive" : "batch",
            Clean(record.Model),
            Clean(record.ServedBy),
            record.Instance,
            record.Gpu,
            status,
            record.Usage.PromptTokens,
            record.Usage.CompletionTokens,
            record.EstimatedTokens,
            Milliseconds(record.QueueWait),
            record.TimeToFirstByte is { } ttft ? Milliseconds(ttft) : null,
            Milliseconds(duration),
            record.ColdStart is { } cold ? Milliseconds(cold) : null));
    }

    public void Record(in UsageEvent e)
    {
        _totals.Add(e);
        if (_channel is not null && !_channel.Writer.TryWrite(e)) Interlocked.Increment(ref _droppedWhenFull);
    }

    private static int Milliseconds(TimeSpan t) => (int)Math.Clamp(Math.Round(t.TotalMilliseconds), 0, int.MaxValue);

    // PostgreSQL text cannot hold NUL; a name with one would make its whole batch fail.
    private static string? Clean(string? name)
    {
        if (name is null) return null;
        if (name.Length <= MaxNameLength && !name.Contains('\0', StringComparison.Ordinal)) return name;
        var cut = name.Length > MaxNameLength ? name[..MaxNameLength] : name;
        return cut.Replace("\0", "", StringComparison.Ordinal);
    }
}
