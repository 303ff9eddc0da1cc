using System.Globalization;

namespace GpuRouter.Cli;

/// <summary>Times as the tables show them: "12s ago", "in 3h 5m", and the box's local clock time.</summary>
internal static class TimeText
{
    public static string Ago(DateTimeOffset? at, TimeProvider time) =>
        at is { } t ? $"{Span(time.GetUtcNow() - t)} ago" : "never";

    public static string In(DateTimeOffset at, TimeProvider time) => $"in {Span(at - time.GetUtcNow())}";

    public static string Local(DateTimeOffset at, TimeProvider time) =>
        TimeZoneInfo.ConvertTime(at, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    /// <summary>The two largest units: 45s, 3m 20s, 2h 5m, 3d 4h. Negative spans (clock skew) read as 0s.</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds}s"
            : span.TotalMinutes < 60 ? Two((int)span.TotalMinutes, "m", span.Seconds, "s")
            : span.TotalHours < 24 ? Two((int)span.TotalHours, "h", span.Minutes, "m")
            : Two((int)span.TotalDays, "d", span.Hours, "h");
    }

    private static string Two(int major, string majorUnit, int minor, string minorUnit) =>
        minor == 0 ? $"{major}{majorUnit}" : $"{major}{majorUnit} {minor}{minorUnit}";
}
