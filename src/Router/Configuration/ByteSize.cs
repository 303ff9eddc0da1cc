using System.Globalization;

namespace GpuRouter.Configuration;

/// <summary>
/// Memory sizes as the config file writes them: <c>24GiB</c>, <c>24576MiB</c>, <c>512KiB</c>, or
/// decimal units (<c>24GB</c> = 24 x 10^9 bytes) the way disk and card vendors count.
/// </summary>
public static class ByteSize
{
    private const double Gib = 1024.0 * 1024 * 1024;

    private static readonly (string Unit, double Factor)[] Units =
    [
        ("TiB", 1024.0 * Gib), ("GiB", Gib), ("MiB", 1024.0 * 1024), ("KiB", 1024.0),
        ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("B", 1),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var (unit, factor) = Units.FirstOrDefault(u => s.EndsWith(u.Unit, StringComparison.Ordinal));
        if (unit is null) return false;
        var number = s[..^unit.Length].TrimEnd();
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
        var value = n * factor;
        if (value <= 0 || value > long.MaxValue / 2) return false;
        bytes = (long)value;
        return true;
    }

    /// <summary>GiB with two decimals, e.g. <c>14.96 GiB</c>: what the memory check's messages show.</summary>
    public static string Format(double bytes) => (bytes / Gib).ToString("0.00", CultureInfo.InvariantCulture) + " GiB";
}
