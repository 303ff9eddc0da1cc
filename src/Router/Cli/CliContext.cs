namespace GpuRouter.Cli;

/// <summary>
/// What a command reads and writes besides its arguments. Tests pass their own writers, a fake
/// environment and clock; the real binary passes the console's.
/// </summary>
/// <param name="Environment">Looks up an environment variable (null when unset).</param>
public sealed record CliContext(
    TextWriter Out, TextWriter Error, TextReader Input, Func<string, string?> Environment, TimeProvider Time)
{
    public static CliContext FromConsole() =>
        new(Console.Out, Console.Error, Console.In, System.Environment.GetEnvironmentVariable, TimeProvider.System);
}
