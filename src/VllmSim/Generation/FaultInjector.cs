namespace VllmSim.Generation;

/// <summary>
/// Decides which request dies with the engine. Requests are counted when accepted (after
/// validation, before any waiting); the Nth one is the victim and crashes the server once it
/// has produced <see cref="CrashAfterTokens"/> tokens, so a stream is cut mid-flight.
/// </summary>
internal sealed class FaultInjector(SimOptions options)
{
    /// <summary>Tokens the victim gets out before the crash (fewer if its output is shorter).</summary>
    public const int CrashAfterTokens = 2;

    private long accepted;

    /// <summary>Counts one accepted request; true when it is the one to crash.</summary>
    public bool Accept() =>
        Interlocked.Increment(ref accepted) is var count && options.ExitAfterRequests is { } n && count == n;
}
