using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>A streamed text completion: <c>text_completion</c> chunks, usage, <c>[DONE]</c>.</summary>
internal sealed class CompletionStreamWriter(HttpContext context, GenerationJob job, long created) : IGenerationWriter
{
    private readonly PipeWriter pipe = context.Response.BodyWriter;
    private readonly Utf8JsonWriter json = JsonOut.Writer(context.Response.BodyWriter);
    private readonly string id = JsonOut.NewId("cmpl-");
    private readonly bool[] started = new bool[job.Choices.Count];
    private readonly bool[] finished = new bool[job.Choices.Count];

    public async Task BeginAsync(CancellationToken ct)
    {
        SseEvents.Start(context.Response);
        await pipe.FlushAsync(ct);
    }

    public void Token(ChoicePlan choice, int position, string text, bool last)
    {
        started[choice.Index] = true;
        finished[choice.Index] |= last;
        Chunk(choice.Index, text, last ? choice.FinishReason : null);
    }

    private void Chunk(int index, string text, string? finishReason)
    {
        SseEvents.BeginData(pipe, json);
        Header();
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", index);
        json.WriteString("text", text);
        json.WriteNull("logprobs");
        FinishJson.Write(json, finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        SseEvents.EndData(pipe, json);
    }

    public ValueTask<bool> FlushAsync(CancellationToken ct) => SseEvents.FlushAsync(pipe, ct);

    public async Task EndAsync(int promptTokens, int completionTokens, bool aborted, CancellationToken ct)
    {
        // A /sleep ended the request: choices that had produced tokens end with "abort".
        for (var index = 0; aborted && index < started.Length; index++)
        {
            if (started[index] && !finished[index])
            {
                Chunk(index, string.Empty, "abort");
            }
        }
        if (job.IncludeUsage)
        {
            SseEvents.BeginData(pipe, json);
            Header();
            json.WriteStartArray("choices");
            json.WriteEndArray();
            UsageJson.Write(json, promptTokens, completionTokens);
            json.WriteEndObject();
            SseEvents.EndData(pipe, json);
        }
        SseEvents.Done(pipe);
        await pipe.FlushAsync(ct);
    }

    public void Dispose() => json.Dispose();

    private void Header()
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "text_completion");
        json.WriteNumber("created", created);
        json.WriteString("model", job.Model);
    }
}
