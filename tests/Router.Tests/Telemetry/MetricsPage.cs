using System.Globalization;
using System.Text.RegularExpressions;

namespace Router.Tests.Telemetry;

/// <summary>A scraped /metrics page: its text, the families it declares and its samples with their labels.</summary>
internal sealed partial class MetricsPage
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private MetricsPage(string text)
    {
        Text = text;
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                declared.Add(line.Split(' ')[2]);
                continue;
            }
            if (line.StartsWith('#')) continue;
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: {line}");
            var labels = LabelPair().Matches(sample.Groups["labels"].Value)
                .ToDictionary(m => m.Groups[1].Value, m => Unescape(m.Groups[2].Value), StringComparer.Ordinal);
            _samples.Add((sample.Groups["name"].Value, labels, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        // A family counts once it has a series: prometheus-net declares a registered family
        // (HELP and TYPE) before it has any.
        Families.UnionWith(declared.Where(f => _samples.Any(s => s.Name == f || HistogramSeries(f).Contains(s.Name))));
    }

    public string Text { get; }

    /// <summary>Family names from the <c># TYPE</c> lines of the families that have at least one sample.</summary>
    public HashSet<string> Families { get; } = new(StringComparer.Ordinal);

    public static async Task<MetricsPage> ScrapeAsync(HttpClient client) =>
        new(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    public static MetricsPage Parse(string text) => new(text);

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include every given pair; 0 when none.</summary>
    public double Sum(string name, params (string Label, string Value)[] match) =>
        Select(name, match).Sum(s => s.Value);

    /// <summary>The samples of <paramref name="name"/> whose labels include every given pair (an absent label matches "").</summary>
    public IEnumerable<(Dictionary<string, string> Labels, double Value)> Select(string name, params (string Label, string Value)[] match) =>
        _samples.Where(s => s.Name == name && match.All(m => (s.Labels.GetValueOrDefault(m.Label) ?? "") == m.Value))
            .Select(s => (s.Labels, s.Value));

    private static string[] HistogramSeries(string family) => [family + "_bucket", family + "_sum", family + "_count"];

    private static string Unescape(string value) =>
        value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
