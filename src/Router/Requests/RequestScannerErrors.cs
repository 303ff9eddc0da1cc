using System.Text.Json;

namespace GpuRouter.Requests;

/// <summary>
/// The scanner's error wording, after OpenAI's (for malformed JSON and type errors) and vLLM's
/// (for <c>stream_options</c> without streaming, which vLLM itself refuses with a 400).
/// Built only on the error path; a valid body allocates none of these.
/// </summary>
internal static class RequestScannerErrors
{
    public static readonly ScanError InvalidJson = new(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. "
        + "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        null,
        null);

    public static readonly ScanError StreamOptionsWithoutStream = new(
        "Stream options can only be defined when `stream=True`.", "stream_options", null);

    public static ScanError BodyNotObject(JsonTokenType actual) => new(
        $"Invalid type for request body: expected an object, but got {Describe(actual)} instead.", null, "invalid_type");

    public static ScanError Missing(string param) => new(
        $"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    public static ScanError InvalidType(string param, string expected, JsonTokenType actual) =>
        InvalidType(param, expected, Describe(actual));

    public static ScanError InvalidType(string param, string expected, string actual) => new(
        $"Invalid type for '{param}': expected {expected}, but got {actual} instead.", param, "invalid_type");

    public static ScanError BelowMinimum(string param, string value) => new(
        $"Invalid '{param}': integer below minimum value. Expected a value >= 0, but got {value} instead.",
        param,
        "integer_below_min_value");

    public static ScanError InvalidUtf8(string? field, int offset, byte value) => new(
        $"The request body is not valid UTF-8: byte 0x{value:X2} at offset {offset}{Where(field)}. Send the text as UTF-8.",
        field,
        "invalid_utf8");

    public static ScanError LoneSurrogate(string? field, int offset, ReadOnlySpan<byte> escape) => new(
        $"The request body has a lone surrogate escape '{System.Text.Encoding.ASCII.GetString(escape)}' at offset {offset}{Where(field)}: "
        + "\\uD800-\\uDFFF must come as a high-low pair (one character outside the Basic Multilingual Plane).",
        field,
        "lone_surrogate");

    private static string Where(string? field) => field is null ? "" : $", in '{field}'";

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        _ => "an object",
    };
}
