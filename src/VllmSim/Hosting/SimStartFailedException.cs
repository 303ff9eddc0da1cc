namespace VllmSim.Hosting;

/// <summary>
/// Start-up failed the way vLLM's does (the engine core could not start): the lines are logged,
/// the program exits with <see cref="ExitCode"/>; in-process, the caller gets this exception.
/// </summary>
public sealed class SimStartFailedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
