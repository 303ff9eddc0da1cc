using System.Globalization;
using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>
/// Tolerant reads of the admin API's JSON: a field an older or newer router does not send reads
/// as null, so the tables show "-" instead of failing.
/// </summary>
internal static class Json
{
    public static JsonElement? Field(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static string? Text(this JsonElement element, string name) => element.Field(name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
        null => null,
    };

    public static double? Number(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : null;

    public static long? Integer(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v) ? v : null;

    public static DateTimeOffset? Time(this JsonElement element, string name) =>
        element.Text(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static string Show(object? value) => value switch
    {
        null => "-",
        string { Length: 0 } => "-",
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };
}
