using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>
/// A streamed Responses API response: <c>event: type</c> + <c>data: {...}</c> pairs in the
/// order the OpenAI SDK expects (created, in_progress, output_item.added, content_part.added,
/// output_text.delta..., output_text.done, content_part.done, output_item.done, completed).
/// </summary>
internal sealed class ResponsesStreamWriter(HttpContext context, GenerationJob job, ResponseState state) : IGenerationWriter
{
    private readonly PipeWriter pipe = context.Response.BodyWriter;
    private readonly Utf8JsonWriter json = JsonOut.Writer(context.Response.BodyWriter);
    private readonly StringBuilder text = new();
    private int sequence;

    public async Task BeginAsync(CancellationToken ct)
    {
        SseEvents.Start(context.Response);
        Event("response.created", () => ResponsesJson.WriteResponse(json, state, "in_progress", null, null, "response"));
        Event("response.in_progress", () => ResponsesJson.WriteResponse(json, state, "in_progress", null, null, "response"));
        await pipe.FlushAsync(ct);
    }

    public void Token(ChoicePlan choice, int position, string token, bool last)
    {
        if (position == 0)
        {
            Event("response.output_item.added", () =>
            {
                json.WriteNumber("output_index", 0);
                ResponsesJson.WriteMessage(json, state, "in_progress", null, "item");
            });
            Event("response.content_part.added", () =>
            {
                Position();
                ResponsesJson.WriteTextPart(json, string.Empty, "part");
            });
        }
        text.Append(token);
        Event("response.output_text.delta", () =>
        {
            Position();
            json.WriteString("delta", token);
            json.WriteStartArray("logprobs");
            json.WriteEndArray();
        });
        if (last)
        {
            var full = text.ToString();
            Event("response.output_text.done", () =>
            {
                Position();
                json.WriteString("text", full);
                json.WriteStartArray("logprobs");
                json.WriteEndArray();
            });
            Event("response.content_part.done", () =>
            {
                Position();
                ResponsesJson.WriteTextPart(json, full, "part");
            });
            Event("response.output_item.done", () =>
            {
                json.WriteNumber("output_index", 0);
                ResponsesJson.WriteMessage(json, state, "completed", full, "item");
            });
        }
    }

    public ValueTask<bool> FlushAsync(CancellationToken ct) => SseEvents.FlushAsync(pipe, ct);

    public async Task EndAsync(int promptTokens, int completionTokens, CancellationToken ct)
    {
        var status = job.Choices[0].FinishReason == "length" ? "incomplete" : "completed";
        Event("response.completed", () =>
            ResponsesJson.WriteResponse(json, state, status, text.ToString(), (promptTokens, completionTokens), "response"));
        await pipe.FlushAsync(ct);
    }

    public void Dispose() => json.Dispose();

    private void Position()
    {
        json.WriteString("item_id", state.MessageId);
        json.WriteNumber("output_index", 0);
        json.WriteNumber("content_index", 0);
    }

    private void Event(string type, Action body)
    {
        SseEvents.BeginEvent(pipe, json, type);
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteNumber("sequence_number", sequence++);
        body();
        json.WriteEndObject();
        SseEvents.EndData(pipe, json);
    }
}
