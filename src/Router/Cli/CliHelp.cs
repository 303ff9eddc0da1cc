namespace GpuRouter.Cli;

/// <summary>The help texts: the overview, each command's, and the short usage a mistake gets on stderr.</summary>
internal static class CliHelp
{
    private const string Connection = """
        Options of the commands that talk to the router:
          --url URL   the router (default: $GPU_ROUTER_URL, else http://127.0.0.1:8000)
          --json      the admin API's JSON instead of a table, for scripts
        The admin key comes from $GPU_ROUTER_ADMIN_KEY, else $ROUTER_ADMIN_KEY, else the
        ROUTER_ADMIN_KEY= line of /etc/gpu-router/env when readable (as root; $GPU_ROUTER_ENV_FILE
        names another file).
        """;

    private const string Codes = """
        Exit codes: 0 done; 1 the router answered with an error or the action did not happen;
        2 a wrong command or argument, or an invalid config; 3 the router could not be reached;
        4 the admin key is missing or was refused.
        """;

    public static void WriteOverview(TextWriter output)
    {
        output.WriteLine("gpu-router: the GPU Router daemon, and the operator's commands for it.");
        output.WriteLine();
        output.WriteLine("Usage:");
        output.WriteLine("  gpu-router [--config FILE] [--urls URL]   run the router (what systemd starts)");
        output.WriteLine("  gpu-router COMMAND [ARGS] [OPTIONS]       run a command; gpu-router COMMAND --help for its help");
        output.WriteLine();
        output.WriteLine("Commands that talk to the router's admin API:");
        foreach (var verb in CliVerbs.All.Where(v => v.Remote)) WriteSummary(output, verb);
        output.WriteLine("Commands that run here, without a router:");
        foreach (var verb in CliVerbs.All.Where(v => !v.Remote)) WriteSummary(output, verb);
        output.WriteLine();
        output.WriteLine(Connection);
        output.WriteLine();
        output.WriteLine(Codes);
    }

    public static void WriteVerbHelp(TextWriter output, CliVerb verb)
    {
        output.WriteLine($"usage: {verb.UsageLine}");
        output.WriteLine();
        output.WriteLine(verb.Help);
        output.WriteLine();
        if (verb.Remote)
        {
            output.WriteLine(Connection);
            output.WriteLine();
        }
        output.WriteLine(Codes);
    }

    public static int UnknownCommand(TextWriter error, string name)
    {
        error.WriteLine($"gpu-router: unknown command '{name}'.");
        error.WriteLine($"usage: gpu-router {string.Join('|', CliVerbs.All.Select(v => v.Name))} [ARGS] [OPTIONS]");
        error.WriteLine("       gpu-router [--config FILE] [--urls URL]   (the router itself)");
        error.WriteLine("Run 'gpu-router --help' for more.");
        return ExitCodes.Usage;
    }

    public static int VerbUsageError(TextWriter error, CliVerb verb, string message)
    {
        error.WriteLine($"gpu-router {verb.Name}: {message}");
        error.WriteLine($"usage: {verb.UsageLine}");
        error.WriteLine($"Run 'gpu-router {verb.Name} --help' for more.");
        return ExitCodes.Usage;
    }

    private static void WriteSummary(TextWriter output, CliVerb verb)
    {
        var left = verb.Arguments.Length > 0 ? $"{verb.Name} {verb.Arguments}" : verb.Name;
        output.WriteLine($"  {left,-24}{verb.Summary}");
    }
}
