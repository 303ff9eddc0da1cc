using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace VllmSim.Api.Writers;

/// <summary>Server-sent events framing shared by the streamed endpoints.</summary>
internal static class SseEvents
{
    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonOut.EventStreamContentType;
        response.Headers.CacheControl = "no-cache";
    }

    public static void BeginData(PipeWriter pipe, Utf8JsonWriter json)
    {
        pipe.Write("data: "u8);
        json.Reset(pipe);
    }

    public static void BeginEvent(PipeWriter pipe, Utf8JsonWriter json, string type)
    {
        pipe.Write("event: "u8);
        var written = System.Text.Encoding.UTF8.GetBytes(type, pipe.GetSpan(type.Length * 3));
        pipe.Advance(written);
        pipe.Write("\n"u8);
        BeginData(pipe, json);
    }

    public static void EndData(PipeWriter pipe, Utf8JsonWriter json)
    {
        json.Flush();
        pipe.Write("\n\n"u8);
    }

    public static void Done(PipeWriter pipe) => pipe.Write("data: [DONE]\n\n"u8);

    public static async ValueTask<bool> FlushAsync(PipeWriter pipe, CancellationToken ct)
    {
        var result = await pipe.FlushAsync(ct);
        return !result.IsCanceled && !result.IsCompleted;
    }
}
