namespace GpuRouter.Cli;

/// <summary>A command with its arguments parsed: what the command's code reads.</summary>
internal sealed class CliCall(
    CliVerb verb, CliContext context, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> options, IReadOnlySet<string> flags)
{
    public CliVerb Verb { get; } = verb;

    public CliContext Context { get; } = context;

    public IReadOnlyList<string> Args { get; } = args;

    public TextWriter Out => Context.Out;

    public bool Json => flags.Contains("--json");

    public string? Option(string name) => options.GetValueOrDefault(name);

    public bool Flag(string name) => flags.Contains(name);

    /// <summary>One line on stderr naming the command; returns the failure's exit code.</summary>
    public int Fail(CliFailure failure)
    {
        Context.Error.WriteLine($"gpu-router {Verb.Name}: {failure.Message}");
        return failure.ExitCode;
    }

    /// <summary>A wrong argument: the reason and the command's usage on stderr, exit code 2.</summary>
    public int UsageError(string message) => CliHelp.VerbUsageError(Context.Error, Verb, message);
}
