using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Generation;
using VllmSim.Tools;

namespace VllmSim.Api.Writers;

/// <summary>
/// A chat completion as vLLM streams it: one <c>data: {chunk}</c> event per choice and token,
/// a first delta per choice carrying role "assistant", the finish reason on the last token, an
/// optional usage chunk with empty choices, then <c>data: [DONE]</c>. A tool call streams as
/// vLLM's parsers stream it: a delta with the call's id, type and name, then the arguments in
/// pieces; steps that add nothing send nothing, except the last, which sends <c>"delta":{}</c>.
/// </summary>
internal sealed class ChatStreamWriter(HttpContext context, GenerationJob job, long created) : IGenerationWriter
{
    private readonly PipeWriter pipe = context.Response.BodyWriter;
    private readonly Utf8JsonWriter json = JsonOut.Writer(context.Response.BodyWriter);
    private readonly string id = JsonOut.NewId("chatcmpl-");
    private readonly bool[] started = new bool[job.Choices.Count];
    private readonly bool[] finished = new bool[job.Choices.Count];

    public async Task BeginAsync(CancellationToken ct)
    {
        SseEvents.Start(context.Response);
        await pipe.FlushAsync(ct);
    }

    public void Token(ChoicePlan choice, int position, string text, bool last)
    {
        if (position == 0)
        {
            Chunk(choice.Index, delta => { delta.WriteString("role", "assistant"); delta.WriteString("content", string.Empty); }, null);
            started[choice.Index] = true;
        }
        var finish = last ? choice.FinishReason : null;
        finished[choice.Index] |= last;
        if (choice.Tool is not { } call)
        {
            Chunk(choice.Index, delta => delta.WriteString("content", text), finish);
            return;
        }
        var (kind, piece) = call.PieceAt(position);
        if (kind == ToolPieceKind.None || piece.Length == 0)
        {
            if (finish is not null)
            {
                Chunk(choice.Index, _ => { }, finish);
            }
            return;
        }
        Chunk(choice.Index, delta => ToolCallJson.WriteDelta(delta, call, kind, piece), finish);
    }

    public ValueTask<bool> FlushAsync(CancellationToken ct) => SseEvents.FlushAsync(pipe, ct);

    public async Task EndAsync(int promptTokens, int completionTokens, bool aborted, CancellationToken ct)
    {
        if (aborted)
        {
            WriteAborted();
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

    // vLLM sends the role chunk for every choice with the engine's first output; a choice that had
    // produced tokens then gets an empty delta with finish_reason "abort"; one that had not gets nothing more.
    private void WriteAborted()
    {
        for (var index = 0; index < started.Length; index++)
        {
            if (finished[index])
            {
                continue;
            }
            if (started[index])
            {
                Chunk(index, _ => { }, "abort");
            }
            else
            {
                Chunk(index, delta => { delta.WriteString("role", "assistant"); delta.WriteString("content", string.Empty); }, null);
            }
        }
    }

    private void Chunk(int index, Action<Utf8JsonWriter> delta, string? finishReason)
    {
        SseEvents.BeginData(pipe, json);
        Header();
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", index);
        json.WriteStartObject("delta");
        delta(json);
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
