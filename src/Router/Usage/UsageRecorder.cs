using System.Threading.Channels;

namespace GpuRouter.Usage;

/// <summary>
/// Takes each finished request (its own <see cref="UsageEvent"/>, built by the request path): adds it to the in-memory totals and, when
/// PostgreSQL is configured, hands it to <see cref="UsageWriter"/> through a bounded channel.
/// Never blocks and never throws: usage is not on the request's critical path.
/// </summary>
internal sealed class UsageRecorder
{
    // Longer names are cut: a client may send any string as "model", and a row should stay small.
    private const int MaxNameLength = 200;

    private readonly UsageTotals _totals;
    private readonly TokensToday? _today;
    private readonly Channel<UsageEvent>? _channel;
    private long _droppedWhenFull;

    /// <param name="today">The day's tokens per client that <c>tokensPerDay</c> is checked against.</param>
    public UsageRecorder(UsageTotals totals, UsageOptions options, bool persist, TokensToday? today = null)
    {
        _totals = totals;
        _today = today;
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

    /// <summary>Takes one finished request; the model and user names are cut and cleaned first.</summary>
    public void Record(in UsageEvent e)
    {
        var clean = e with
        {
            ModelRequested = Clean(e.ModelRequested), ModelServed = Clean(e.ModelServed), UserId = Clean(e.UserId), UserName = Clean(e.UserName),
        };
        _totals.Add(clean);
        _today?.Add(clean.Client, BudgetTokens(clean), clean.Timestamp);
        if (_channel is not null && !_channel.Writer.TryWrite(clean)) Interlocked.Increment(ref _droppedWhenFull);
    }

    /// <summary>
    /// What a request counts against tokensPerDay: the tokens the backend reported; for an answer
    /// it reported none for (a stream whose client did not ask for stream_options.include_usage),
    /// the router's estimate of the prompt. The same rule as <see cref="UsageSql.TokensSince"/>.
    /// </summary>
    public static long BudgetTokens(in UsageEvent e) =>
        e.PromptTokens + e.CompletionTokens is var reported and > 0 ? reported : e.IsError ? 0 : e.EstimatedPromptTokens;

    // PostgreSQL text cannot hold NUL; a name with one would make its whole batch fail.
    private static string? Clean(string? name)
    {
        if (name is null) return null;
        if (name.Length <= MaxNameLength && !name.Contains('\0', StringComparison.Ordinal)) return name;
        var cut = name.Length > MaxNameLength ? name[..MaxNameLength] : name;
        return cut.Replace("\0", "", StringComparison.Ordinal);
    }
}
