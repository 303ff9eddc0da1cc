using System.Buffers;
using System.Globalization;
using System.Text.Json;
using GpuRouter.Failures;

namespace GpuRouter.Http;

/// <summary>Writes <see cref="Failure"/> and <see cref="RouterError"/> values as OpenAI error JSON, or as an SSE error frame.</summary>
public static class ErrorResults
{
    public static Task WriteAsync(HttpContext context, Failure failure) => WriteAsync(context, RouterError.From(failure));

    public static Task WriteAsync(HttpContext context, RouterError error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        response.Headers["X-Router-Error-Origin"] = error.Origin == ErrorOrigin.Router ? "router" : "backend";
        if (error.RetryAfter is { } retry)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteBody(buffer, error);
        return response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }

    /// <summary>The body <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static void WriteBody(IBufferWriter<byte> output, RouterError error)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", error.Message);
        json.WriteString("type", error.Type);
        if (error.Param is null) json.WriteNull("param");
        else json.WriteString("param", error.Param);
        json.WriteString("code", error.Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// What a stream that already sent its headers ends with: an error event and [DONE], which
    /// Open WebUI shows to the user (a cut socket shows nothing).
    /// </summary>
    public static byte[] SseFrame(RouterError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("data: "u8);
        WriteBody(buffer, error);
        buffer.Write("\n\ndata: [DONE]\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
