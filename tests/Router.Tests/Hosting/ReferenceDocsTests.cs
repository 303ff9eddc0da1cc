using GpuRouter.Hosting;
using System.Reflection;
using System.Text.RegularExpressions;
using GpuRouter.Configuration;

namespace Router.Tests.Hosting;

/// <summary>
/// The repository's reference stays complete: every key the config file accepts is documented in
/// its section of docs/configuration.md, and every error code the router writes in docs/http-api.md.
/// </summary>
public sealed partial class ReferenceDocsTests
{
    private static readonly string ConfigurationDoc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "configuration.md"));
    private static readonly string HttpApiDoc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "http-api.md"));

    public static TheoryData<string, string> ConfigKeys()
    {
        var keys = new TheoryData<string, string>();
        foreach (var section in typeof(RouterConfigFile).GetProperties())
        {
            var type = ElementType(section.PropertyType);
            foreach (var key in type.GetProperties())
            {
                var heading = section.Name == "Models" && key.Name == "Instances" ? "models" : Camel(section.Name);
                keys.Add(heading, Camel(key.Name));
                if (key.Name is "Instances" or "Sleep" && section.Name == "Models")
                {
                    foreach (var nestedKey in ElementType(key.PropertyType).GetProperties())
                        keys.Add($"models[].{Camel(key.Name)}", Camel(nestedKey.Name));
                }
            }
        }
        return keys;
    }

    [Theory]
    [MemberData(nameof(ConfigKeys))]
    public void EveryConfigKey_IsInItsSectionOfConfigurationMd(string section, string key)
    {
        var text = Section(ConfigurationDoc, section);
        Assert.True(text.Contains($"| `{key}` |", StringComparison.Ordinal), $"docs/configuration.md: section '{section}' has no row for `{key}`");
    }

    [Fact]
    public void EveryErrorCodeTheRouterWrites_IsInHttpApiMd()
    {
        var codes = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "src", "Router"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => ErrorCode().Matches(File.ReadAllText(file)))
            .Select(m => m.Groups["code"].Value)
            .ToHashSet(StringComparer.Ordinal);

        // The patterns must keep finding the codes they were written for, one of each way of writing them.
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
        {
            "queue_full", "admin_only", "context_length_exceeded", "missing_required_parameter", "backend_error", "docker_unavailable",
        }, codes);
        var missing = codes.Where(code => !HttpApiDoc.Contains($"`{code}`", StringComparison.Ordinal)).Order().ToList();
        Assert.True(missing.Count == 0, "docs/http-api.md lacks: " + string.Join(", ", missing));
    }

    private static string Section(string doc, string name)
    {
        var start = doc.IndexOf($"\n## {name}\n", StringComparison.Ordinal);
        if (start < 0) start = doc.IndexOf($"\n### {name}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/configuration.md has no section '{name}'");
        var end = doc.IndexOf("\n#", start + 4, StringComparison.Ordinal);
        return end < 0 ? doc[start..] : doc[start..end];
    }

    private static Type ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : type;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    // Unavailable("code", ...), new RouterError(status, "a_type_error", "code", ...) and RouterError's
    // factories, code: "code", a constant named ...Code, and the scanner's errors (param, "code")).
    [GeneratedRegex(@"(?:Unavailable\(|""[a-z_]+_error"", |code: |string code = |Code = )""(?<code>[a-z][a-z0-9_]+)""|(?:param|field|\$?""[^""\n]*""),\s*""(?<code>[a-z]+_[a-z0-9_]+)""\)")]
    private static partial Regex ErrorCode();
}
