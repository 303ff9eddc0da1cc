using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace VllmSim.Api;

/// <summary>
/// Reads a JSON request body; anything but a well-typed JSON object becomes a 400. Text is judged
/// as vLLM's Python server judges it: bytes that are not UTF-8 fail in FastAPI before any
/// validation; a lone surrogate escape (<c>\ud800</c>) parses, as Python's json module allows, and
/// fails once the text is tokenized (the tokenizer cannot encode it as UTF-8).
/// </summary>
internal static partial class RequestBody
{
    public static async Task<(T? Body, ApiError? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return (null, new ApiError(e.StatusCode, e.Message));
        }
        if (!Utf8.IsValid(bytes))
        {
            // FastAPI: "except Exception: raise HTTPException(400, 'There was an error parsing the body')".
            return (null, new ApiError(400, "There was an error parsing the body", TypeName: "Bad Request"));
        }
        var text = Encoding.UTF8.GetString(bytes);
        var lone = LoneSurrogate().Match(text);
        try
        {
            // .NET refuses to decode a lone surrogate; a stand-in lets the rest be validated first, as pydantic does.
            var parseable = lone.Success ? LoneSurrogate().Replace(text, "$1\\ufffd") : text;
            var body = JsonSerializer.Deserialize(parseable, type);
            if (body is null) return (null, ApiError.BadRequest("The request body must be a JSON object, got null."));
            return lone.Success ? (null, TokenizerCannotEncode(text, lone)) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, ApiError.BadRequest(Describe(e), Param(e.Path)));
        }
    }

    // Python's message, with the character's position counted from the start of its JSON string.
    private static ApiError TokenizerCannotEncode(string text, Match lone)
    {
        var escape = lone.Groups["escape"];
        var stringStart = text.LastIndexOf('"', escape.Index) + 1;
        var code = escape.Value[2..].ToLowerInvariant();
        return ApiError.BadRequest($"'utf-8' codec can't encode character '\\u{code}' in position {escape.Index - stringStart}: surrogates not allowed");
    }

    // The runtime's message names .NET types ("System.Nullable`1[System.Int32]"); say it in JSON terms.
    private static string Describe(JsonException e)
    {
        var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the request body" : $"'{e.Path}'";
        return e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? $"Invalid request: {where} has a value of the wrong type (line {e.LineNumber + 1}, byte {e.BytePositionInLine})."
            : $"JSON decode error in {where}: {FirstSentence(e.Message)}";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    private static string? Param(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.TrimStart('$', '.');

    // An escape (after an even run of backslashes) of a high surrogate with no low one after it,
    // or of a low surrogate with no high one before it.
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)(?<escape>\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})")]
    private static partial Regex LoneSurrogate();
}
