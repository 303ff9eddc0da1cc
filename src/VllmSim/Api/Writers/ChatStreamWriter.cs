using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>
/// A chat completion as vLLM streams it: one <c>data: {chunk}</c> event per choice and token,
/// a first delta per choice carrying role "assistant", the finish reason on the last token, an
/// optional usage chunk with empty choices, then <c>data: [DONE]</c>.
/// </summary>
internal sealed class ChatStreamWriter(HttpContext context, GenerationJob job, long created) : IGenerationWriter
{
    private readonly PipeWriter pipe = context.Response.BodyWriter;
    private readonly Utf8JsonWriter json = JsonOut.Writer(context.Response.BodyWriter);
    private readonly string id = JsonOut.NewId("chatcmpl-");

    public async Task BeginAsync(CancellationToken ct)
    {
        SseEvents.Start(context.Response);
        await pipe.FlushAsync(ct);
    }

    public void Token(ChoicePlan choice, int position, string text, bool last)
    {
        if (position == 0)
        {
            Chunk(choice.Index, role: true, string.Empty, finishReason: null);
        }
        Chunk(choice.Index, role: false, text, last ? choice.FinishReason : null);
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

    private void Chunk(int index, bool role, string content, string? finishReason)
    {
        SseEvents.BeginData(pipe, json);
        Header();
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", index);
        json.WriteStartObject("delta");
        if (role)
        {
            json.WriteString("role", "assistant");
        }
        json.WriteString("content", content);
        json.WriteEndObject();
        json.WriteNull("logprobs");
        FinishJson.Write(json, finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        SseEvents.EndData(pipe, json);
    }

    private void Header()
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "chat.completion.chunk");
        json.WriteNumber("created", created);
        json.WriteString("model", job.Model);
    }
}
