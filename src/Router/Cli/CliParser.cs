namespace GpuRouter.Cli;

/// <summary>Splits a command's tokens into arguments, options (--name VALUE or --name=VALUE) and flags.</summary>
internal static class CliParser
{
    /// <summary>The parsed call; or an error message (usage error); or neither when --help was asked.</summary>
    public static (CliCall? Call, string? Error) Parse(CliVerb verb, IReadOnlyList<string> tokens, CliContext context)
    {
        var args = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var valueOptions = verb.AllValueOptions.ToHashSet(StringComparer.Ordinal);
        var flagOptions = verb.AllFlags.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token is "--help" or "-h") return (null, null);
            // "-" alone is an argument (hash-key reads the key from stdin), not an option.
            if (!token.StartsWith('-') || token == "-")
            {
                args.Add(token);
                continue;
            }
            if (token == "--")
            {
                args.AddRange(tokens.Skip(i + 1));
                break;
            }
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? token[..equals] : token;
            if (valueOptions.Contains(name))
            {
                if (equals > 0) options[name] = token[(equals + 1)..];
                else if (i + 1 < tokens.Count) options[name] = tokens[++i];
                else return (null, $"{name} needs a value.");
            }
            else if (flagOptions.Contains(name) && equals < 0)
            {
                flags.Add(name);
            }
            else
            {
                return (null, $"unknown option '{token}'.");
            }
        }
        if (args.Count < verb.MinArgs) return (null, $"missing {verb.Arguments}.");
        if (args.Count > verb.MaxArgs) return (null, $"unexpected argument '{args[verb.MaxArgs]}'.");
        return (new CliCall(verb, context, args, options, flags), null);
    }
}
