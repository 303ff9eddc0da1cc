using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VllmSim.Tools;

/// <summary>
/// JSON as Python's <c>json.dumps(value, ensure_ascii=False)</c> writes it (", " and ": " between
/// items): vLLM's tool parsers produce a call's "arguments" string that way.
/// </summary>
internal static class PythonJson
{
    public static void String(StringBuilder text, string value) =>
        text.Append('"').Append(JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value)).Append('"');

    /// <summary>Any JSON value from a schema (an enum member, a const, a default), re-spaced.</summary>
    public static void Value(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    text.Append(first ? "" : ", ");
                    String(text, property.Name);
                    text.Append(": ");
                    Value(text, property.Value);
                    first = false;
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(index++ == 0 ? "" : ", ");
                    Value(text, item);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                String(text, value.GetString()!);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                text.Append(value.ValueKind == JsonValueKind.True ? "true" : "false");
                break;
            case JsonValueKind.Number:
                text.Append(value.GetRawText());
                break;
            default:
                text.Append("null");
                break;
        }
    }

    public static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
