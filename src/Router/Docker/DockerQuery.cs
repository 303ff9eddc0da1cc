using System.Globalization;

namespace GpuRouter.Docker;

/// <summary>The query values of Engine API calls in the package's shapes.</summary>
internal static class DockerQuery
{
    /// <summary>Docker's <c>filters</c> parameter: filter name to the accepted values (ORed; filters ANDed).</summary>
    public static IDictionary<string, IDictionary<string, bool>> Filters(params (string Name, IEnumerable<string> Values)[] filters)
    {
        var result = new Dictionary<string, IDictionary<string, bool>>();
        foreach (var (name, values) in filters)
        {
            var accepted = values.ToDictionary(value => value, _ => true);
            if (accepted.Count > 0)
            {
                result[name] = accepted;
            }
        }

        return result;
    }

    /// <summary><c>key</c> matches any value of the label, <c>key=value</c> only that value.</summary>
    public static IEnumerable<string> LabelValues(IReadOnlyDictionary<string, string?> labels) =>
        labels.Select(label => label.Value is null ? label.Key : $"{label.Key}={label.Value}");

    /// <summary>Unix seconds with a nanosecond fraction, the form <c>since</c> takes.</summary>
    public static string UnixTime(DateTimeOffset time)
    {
        var ticks = Math.Max(0, (time - DateTimeOffset.UnixEpoch).Ticks);
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var nanoseconds = ticks % TimeSpan.TicksPerSecond * TimeSpan.NanosecondsPerTick;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{nanoseconds:D9}");
    }
}
