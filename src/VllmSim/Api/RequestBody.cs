using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace VllmSim.Api;

/// <summary>Reads a JSON request body; anything but a well-typed JSON object becomes a 400.</summary>
internal static class RequestBody
{
    public static async Task<(T? Body, ApiError? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            return body is null
                ? (null, ApiError.BadRequest("The request body must be a JSON object, got null."))
                : (body, null);
        }
        catch (JsonException e)
        {
            return (null, ApiError.BadRequest(Describe(e), Param(e.Path)));
        }
        catch (BadHttpRequestException e)
        {
            return (null, new ApiError(e.StatusCode, e.Message));
        }
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
}
