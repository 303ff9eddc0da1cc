using System.Text.RegularExpressions;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The log lines worth putting in an error: the last one that states an error ("RuntimeError: …",
/// "error: …"; a Python traceback ends with it, a usage text buries it above), and the last line of all.
/// </summary>
internal static partial class LogExcerpt
{
    public static string Relevant(string logs)
    {
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) return "(no output)";
        var error = lines.LastOrDefault(l => ErrorWords().IsMatch(l));
        var last = lines[^1];
        return error is null || error == last ? last : $"{error} | {last}";
    }

    [GeneratedRegex(@"(error|exception|failed|fatal)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorWords();
}
