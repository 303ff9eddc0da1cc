using System.Globalization;
using System.Text.Json;
using System.Text;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;

namespace GpuRouter.Requests;

/// <summary>
/// Keeps a streaming client company while its instance cold-starts or wakes: after two seconds it sends
/// the SSE headers, then every few seconds a comment line and (when routing.loadingMessages is
/// on, for chat) the same text as a reasoning_content delta, so Open WebUI shows progress
/// instead of a silent socket that its own timeout would cut.
/// </summary>
internal sealed class LoadingFeedback(TimeProvider time)
{
    public static readonly TimeSpan FirstAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    public async Task<ReadyResult> WaitAsync(
        HttpContext context, Task<ReadyResult> ready, LoadingContext loading, Action<HttpResponse> writeHeaders, CancellationToken ct)
    {
        var wait = FirstAfter;
        var started = time.GetTimestamp();
        while (true)
        {
            var tick = Task.Delay(wait, time, ct);
            var done = await Task.WhenAny(ready, tick);
            if (done == ready) return await ready;
            if (ct.IsCancellationRequested) return await ready;
            wait = Every;
            var response = context.Response;
            if (!response.HasStarted)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "text/event-stream";
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no";
                writeHeaders(response);
            }
            var seconds = (int)time.GetElapsedTime(started).TotalSeconds;
            var verb = loading.Waking() ? "waking" : "loading";
            var text = $"{verb} {loading.Instance} on GPU {loading.Gpus}, {seconds.ToString(CultureInfo.InvariantCulture)} s";
            try
            {
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes($": {text}\n\n"), ct);
                if (loading.ReasoningDeltas) await response.Body.WriteAsync(ReasoningChunk(loading.Model, text), ct);
                await response.Body.FlushAsync(ct);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                return await ready;
            }
        }
    }

    private byte[] ReasoningChunk(string model, string text)
    {
        using var stream = new MemoryStream();
        stream.Write("data: "u8);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", "chatcmpl-router-loading");
            json.WriteString("object", "chat.completion.chunk");
            json.WriteNumber("created", time.GetUtcNow().ToUnixTimeSeconds());
            json.WriteString("model", model);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("delta");
            json.WriteString("reasoning_content", char.ToUpperInvariant(text[0]) + text[1..] + "\n");
            json.WriteEndObject();
            json.WriteNull("finish_reason");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stream.Write("\n\n"u8);
        return stream.ToArray();
    }
}

/// <param name="Waking">True while the wait is for a wake rather than a cold start (the text says "waking").</param>
internal readonly record struct LoadingContext(string Instance, string Gpus, string Model, bool ReasoningDeltas, Func<bool> Waking);
