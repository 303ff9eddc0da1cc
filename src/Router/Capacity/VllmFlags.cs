namespace GpuRouter.Capacity;

/// <summary>Reads a vLLM flag from an instance's extra arguments: <c>--flag value</c> or <c>--flag=value</c>; the last one wins, as in argparse.</summary>
public static class VllmFlags
{
    public static string? Value(IReadOnlyList<string> args, string flag)
    {
        string? value = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == flag && i + 1 < args.Count) value = args[i + 1];
            else if (args[i].StartsWith(flag + "=", StringComparison.Ordinal)) value = args[i][(flag.Length + 1)..];
        }
        return value;
    }

    public static bool Has(IReadOnlyList<string> args, string flag) => args.Contains(flag);
}
