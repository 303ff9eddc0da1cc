using System.Globalization;
using System.Text.Json;

namespace GpuRouter.Docker;

/// <summary>Builds the path segments and query values of Engine API calls.</summary>
internal static class DockerQuery
{
    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }

    /// <summary>
    /// Image references keep their slashes, colons and at-signs (<c>vllm/vllm-openai:v0.9</c>,
    /// <c>name@sha256:...</c>), all legal in a path: the daemon's route takes the rest of the path.
    /// </summary>
    public static string ImageName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return string.Join('/', name.Split('/').Select(segment => Uri.EscapeDataString(segment)
            .Replace("%3A", ":", StringComparison.Ordinal)
            .Replace("%40", "@", StringComparison.Ordinal)));
    }

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Docker's <c>filters</c> parameter: a JSON map from filter name to accepted values.</summary>
    public static string FiltersJson(Dictionary<string, List<string>> filters) =>
        JsonSerializer.Serialize(filters, DockerJsonContext.Default.DictionaryStringListString);

    /// <summary><c>key</c> matches any value of the label, <c>key=value</c> only that value.</summary>
    public static List<string> LabelValues(IReadOnlyDictionary<string, string?> labels) =>
        labels.Select(label => label.Value is null ? label.Key : $"{label.Key}={label.Value}").ToList();

    /// <summary>Unix seconds with a nanosecond fraction, the form <c>since</c> takes.</summary>
    public static string UnixTime(DateTimeOffset time)
    {
        var ticks = Math.Max(0, (time - DateTimeOffset.UnixEpoch).Ticks);
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var nanoseconds = ticks % TimeSpan.TicksPerSecond * TimeSpan.NanosecondsPerTick;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{nanoseconds:D9}");
    }
}
