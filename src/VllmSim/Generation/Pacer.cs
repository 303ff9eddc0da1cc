namespace VllmSim.Generation;

/// <summary>
/// The simulated engine's clock: the first token comes --ttft-ms (plus prefill per prompt token)
/// after scheduling, each next one --itl-ms later. Deadlines are offsets from one start, so
/// delays do not accumulate timer slack; a deadline already passed costs no await at all.
/// </summary>
internal sealed class Pacer(SimOptions options, TimeProvider time)
{
    public TimeSpan FirstToken(int promptTokens) =>
        TimeSpan.FromMilliseconds(options.TtftMs + (options.PrefillUsPerToken * promptTokens / 1000.0));

    public TimeSpan InterToken { get; } = TimeSpan.FromMilliseconds(options.ItlMs);

    public long Now() => time.GetTimestamp();

    public TimeSpan Since(long start) => time.GetElapsedTime(start);

    public ValueTask WaitUntilAsync(long start, TimeSpan offset, CancellationToken ct)
    {
        var remaining = offset - time.GetElapsedTime(start);
        return remaining > TimeSpan.Zero ? new ValueTask(Task.Delay(remaining, time, ct)) : ValueTask.CompletedTask;
    }
}
