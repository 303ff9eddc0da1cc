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

    public async Task BeginAsync(CancellationToken ct)
    {
        SseEvents.Start(context.Response);
        await pipe.FlushAsync(ct);
    }

    public void Token(ChoicePlan choice, int position, string text, bool last)
    {
        SseEvents.BeginData(pipe, json);
        Header();
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", choice.Index);
        json.WriteString("text", text);
        json.WriteNull("logprobs");
        FinishJson.Write(json, last ? choice.FinishReason : null);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        SseEvents.EndData(pipe, json);
    }

    public ValueTask<bool> FlushAsync(CancellationToken ct) => SseEvents.FlushAsync(pipe, ct);

    public async Task EndAsync(int promptTokens, int completionTokens, CancellationToken ct)
    {
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
