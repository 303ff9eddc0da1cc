namespace GpuRouter.Cli;

/// <summary>
/// Reads a file of KEY=VALUE lines as systemd's EnvironmentFile= does for the router's keys
/// (/etc/gpu-router/env): blank lines and lines starting with # or ; are skipped, a value may
/// be quoted.
/// </summary>
internal static class EnvFile
{
    /// <summary>The variables, or null with the reason when the file cannot be read (absent, not root).</summary>
    public static IReadOnlyDictionary<string, string>? TryRead(string path, out string? error)
    {
        try
        {
            error = null;
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = "no such file";
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            error = "permission denied (root may read it)";
            return null;
        }
        catch (IOException e)
        {
            error = e.Message.TrimEnd('.');
            return null;
        }
    }

    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            values[line[..equals].Trim()] = Unquote(line[(equals + 1)..].Trim());
        }
        return values;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is ('"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
