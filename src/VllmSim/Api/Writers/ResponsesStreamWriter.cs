using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Generation;
using VllmSim.Tools;

namespace VllmSim.Api.Writers;

/// <summary>
/// A streamed Responses API response: <c>event: type</c> + <c>data: {...}</c> pairs in the
/// order the OpenAI SDK expects (created, in_progress, output_item.added, content_part.added,
/// output_text.delta..., output_text.done, content_part.done, output_item.done, completed). A
/// parsed tool call streams as vLLM's non-harmony event processor streams it (vLLM 0.23 on):
/// output_item.added with a function_call item, function_call_arguments.delta...,
/// function_call_arguments.done, output_item.done.
/// </summary>
internal sealed class ResponsesStreamWriter(HttpContext context, GenerationJob job, ResponseState state) : IGenerationWriter
{
    private readonly PipeWriter pipe = context.Response.BodyWriter;
    private readonly Utf8JsonWriter json = JsonOut.Writer(context.Response.BodyWriter);
    private readonly StringBuilder text = new();
    private readonly ChoiceTexts texts = new(job);
    private ToolCallPlan? openCall;
    private bool openMessage;
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
        texts.Add(choice, token, last);
        if (choice.Tool is { } call)
        {
            CallToken(call, position);
        }
        else
        {
            TextToken(position, token);
        }
        if (last)
        {
            Close();
        }
    }

    public ValueTask<bool> FlushAsync(CancellationToken ct) => SseEvents.FlushAsync(pipe, ct);

    public async Task EndAsync(int promptTokens, int completionTokens, bool aborted, CancellationToken ct)
    {
        Close();
        var choice = job.Choices[0];
        var status = texts.FinishOf(choice) == "length" ? "incomplete" : "completed";
        var call = texts.CallOf(choice);
        Event("response.completed", () => ResponsesJson.WriteResponse(
            json, state, status, ResponsesJson.FinalOutput(state, call is null ? texts.Of(choice) : string.Empty, call), (promptTokens, completionTokens), "response"));
        await pipe.FlushAsync(ct);
    }

    public void Dispose() => json.Dispose();

    private void TextToken(int position, string token)
    {
        if (position == 0)
        {
            openMessage = true;
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
    }

    private void CallToken(ToolCallPlan call, int position)
    {
        var (kind, piece) = call.PieceAt(position);
        if (kind == ToolPieceKind.Header)
        {
            openCall = call;
            Event("response.output_item.added", () =>
            {
                json.WriteNumber("output_index", 0);
                ResponsesJson.WriteFunctionCall(json, state.StreamedCallItemId, state.StreamedCallId, call.Name, string.Empty, "in_progress", "item");
            });
        }
        else if (kind == ToolPieceKind.Arguments && piece.Length > 0)
        {
            text.Append(piece);
            Event("response.function_call_arguments.delta", () =>
            {
                json.WriteString("item_id", state.StreamedCallItemId);
                json.WriteNumber("output_index", 0);
                json.WriteString("delta", piece);
            });
        }
    }

    // Ends the open item with its "done" events: at the last token, or when a /sleep aborts the response.
    private void Close()
    {
        var full = text.ToString();
        if (openCall is { } call)
        {
            openCall = null;
            Event("response.function_call_arguments.done", () =>
            {
                json.WriteString("arguments", full);
                json.WriteString("name", call.Name);
                json.WriteString("item_id", state.StreamedCallItemId);
                json.WriteNumber("output_index", 0);
            });
            Event("response.output_item.done", () =>
            {
                json.WriteNumber("output_index", 0);
                ResponsesJson.WriteFunctionCall(json, state.StreamedCallItemId, state.StreamedCallId, call.Name, full, "completed", "item");
            });
        }
        if (!openMessage)
        {
            return;
        }
        openMessage = false;
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
