using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>
/// Docker writes Go's RFC 3339 with nanoseconds (nine fraction digits, more than .NET parses)
/// and uses the zero time, <c>0001-01-01T00:00:00Z</c>, for "never"; both are handled here so
/// the models can say null instead.
/// </summary>
internal sealed class DockerTimestampConverter : JsonConverter<DateTimeOffset?>
{
    private const int MaxFractionDigits = 7;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var value = Parse(text);
        return value.Year <= 1 ? null : value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } time)
        {
            writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    internal static DateTimeOffset Parse(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > MaxFractionDigits)
            {
                text = string.Concat(text.AsSpan(0, dot + 1 + MaxFractionDigits), text.AsSpan(end));
            }
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
