namespace GpuRouter.Cli;

/// <summary>One command of the command line: what it accepts, its help and what runs it.</summary>
/// <param name="Arguments">The positional arguments as the usage line writes them, e.g. "NAME".</param>
/// <param name="Remote">Talks to the admin API (and so takes --url).</param>
/// <param name="ValueOptions">Options that take a value (besides --url) with its placeholder, e.g. "--since WHEN".</param>
/// <param name="Flags">Options without a value (besides --json and --help).</param>
internal sealed record CliVerb(
    string Name,
    string Arguments,
    string Summary,
    string Help,
    bool Remote,
    IReadOnlyList<string> ValueOptions,
    IReadOnlyList<string> Flags,
    int MinArgs,
    int MaxArgs,
    Func<CliCall, Task<int>> Run)
{
    public IEnumerable<string> AllValueOptions => ValueOptions.Select(o => o.Split(' ')[0]).Concat(Remote ? ["--url"] : []);

    public IEnumerable<string> AllFlags => [.. Flags, "--json"];

    public string UsageLine
    {
        get
        {
            var options = ValueOptions.Select(o => $"[{o}]")
                .Concat(Flags.Select(f => $"[{f}]"))
                .Concat(Remote ? ["[--url URL]"] : [])
                .Append("[--json]");
            return string.Join(' ', new[] { "gpu-router", Name, Arguments }.Where(s => s.Length > 0).Concat(options));
        }
    }
}
