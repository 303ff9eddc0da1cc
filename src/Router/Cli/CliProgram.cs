namespace GpuRouter.Cli;

/// <summary>
/// The operator's command line, in the router's own binary: <c>gpu-router VERB ...</c>. Program.cs
/// hands the arguments here before it builds the web host; everything else (no arguments,
/// <c>--config FILE</c>, <c>key=value</c>) stays the daemon.
/// </summary>
public static class CliProgram
{
    /// <summary>True when the arguments are a command (or help), not the daemon's options.</summary>
    public static bool Handles(IReadOnlyList<string> args) =>
        args.Count > 0 && (IsHelp(args[0]) || (!args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal)));

    public static Task<int> RunAsync(IReadOnlyList<string> args) => RunAsync(args, CliContext.FromConsole());

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count == 0 || IsHelp(args[0])) return Help(args, context);
        if (CliVerbs.Find(args[0]) is not { } verb) return CliHelp.UnknownCommand(context.Error, args[0]);
        var (call, error) = CliParser.Parse(verb, [.. args.Skip(1)], context);
        if (error is not null) return CliHelp.VerbUsageError(context.Error, verb, error);
        if (call is null)
        {
            CliHelp.WriteVerbHelp(context.Out, verb);
            return ExitCodes.Ok;
        }
        return await verb.Run(call);
    }

    private static bool IsHelp(string arg) => arg is "help" or "--help" or "-h";

    // "gpu-router help" and "gpu-router help VERB".
    private static int Help(IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count < 2)
        {
            CliHelp.WriteOverview(context.Out);
            return ExitCodes.Ok;
        }
        if (CliVerbs.Find(args[1]) is not { } verb) return CliHelp.UnknownCommand(context.Error, args[1]);
        CliHelp.WriteVerbHelp(context.Out, verb);
        return ExitCodes.Ok;
    }
}
