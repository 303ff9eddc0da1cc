using System.Text.RegularExpressions;

namespace GpuRouter.Configuration;

/// <summary>
/// Container variables whose values may name the router's own: <c>HF_TOKEN: ${HF_TOKEN}</c>. The
/// secret stays in the router's environment (systemd's EnvironmentFile), never in the YAML, and
/// is put in only when the container is created.
/// </summary>
public static partial class EnvTemplate
{
    /// <summary>Checks names and references; every problem is added to <paramref name="errors"/> naming <paramref name="key"/>.</summary>
    public static void Check(string key, IReadOnlyDictionary<string, string>? env, Func<string, string?> environment, List<string> errors)
    {
        if (env is null) return;
        foreach (var (name, value) in env)
        {
            if (!VariableName().IsMatch(name))
            {
                errors.Add($"{key}.{name}: not a variable name (letters, digits and '_', not starting with a digit)");
                continue;
            }
            foreach (var variable in References(value ?? ""))
            {
                if (environment(variable) is null)
                    errors.Add($"{key}.{name}: ${{{variable}}} is not set in the router's environment (set it, e.g. in systemd's EnvironmentFile, or remove the entry)");
            }
        }
    }

    /// <summary>The value with each <c>${VAR}</c> replaced by the router's variable (unset: empty).</summary>
    public static string Expand(string value, Func<string, string?> environment) =>
        Reference().Replace(value, m => environment(m.Groups[1].Value) ?? "");

    /// <summary>The model's entries overlaid with the instance's, sorted so the spec hash does not depend on YAML order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Merge(
        IReadOnlyDictionary<string, string> model, IReadOnlyDictionary<string, string>? instance)
    {
        var merged = new Dictionary<string, string>(model, StringComparer.Ordinal);
        foreach (var (name, value) in instance ?? new Dictionary<string, string>()) merged[name] = value ?? "";
        return [.. merged.OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    private static IEnumerable<string> References(string value) =>
        Reference().Matches(value).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
