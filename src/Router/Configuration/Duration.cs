using System.Globalization;

namespace GpuRouter.Configuration;

/// <summary>Durations as the config file writes them: <c>500ms</c>, <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>.</summary>
public static class Duration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var (unit, factor) = s.EndsWith("ms", StringComparison.Ordinal) ? ("ms", 1.0)
            : s.EndsWith('s') ? ("s", 1000.0)
            : s.EndsWith('m') ? ("m", 60_000.0)
            : s.EndsWith('h') ? ("h", 3_600_000.0)
            : s.EndsWith('d') ? ("d", 86_400_000.0)
            : ("", 0);
        if (factor == 0) return false;
        if (!double.TryParse(s.AsSpan(0, s.Length - unit.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            return false;
        if (n < 0 || n * factor > TimeSpan.MaxValue.TotalMilliseconds / 2) return false;
        value = TimeSpan.FromMilliseconds(n * factor);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 ? $"{value.TotalMilliseconds:0}ms"
        : value.TotalSeconds < 120 ? $"{value.TotalSeconds:0.#}s"
        : value.TotalMinutes < 120 ? $"{value.TotalMinutes:0.#}m"
        : $"{value.TotalHours:0.#}h";
}
