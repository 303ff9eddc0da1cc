using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>A non-streamed chat completion (object "chat.completion").</summary>
internal sealed class ChatResponseWriter(HttpContext context, GenerationJob job, long created) : IGenerationWriter
{
    private readonly ChoiceTexts texts = new(job);

    public Task BeginAsync(CancellationToken ct) => Task.CompletedTask;

    public void Token(ChoicePlan choice, int position, string text, bool last) => texts.Add(choice, text, last);

    public ValueTask<bool> FlushAsync(CancellationToken ct) => ValueTask.FromResult(true);

    public async Task EndAsync(int promptTokens, int completionTokens, bool aborted, CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("id", JsonOut.NewId("chatcmpl-"));
            json.WriteString("object", "chat.completion");
            json.WriteNumber("created", created);
            json.WriteString("model", job.Model);
            json.WriteStartArray("choices");
            foreach (var choice in job.Choices)
            {
                WriteChoice(json, choice);
            }
            json.WriteEndArray();
            UsageJson.Write(json, promptTokens, completionTokens);
            json.WriteNull("prompt_logprobs");
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(ct);
    }

    public void Dispose()
    {
    }

    private void WriteChoice(Utf8JsonWriter json, ChoicePlan choice)
    {
        var call = texts.CallOf(choice);
        json.WriteStartObject();
        json.WriteNumber("index", choice.Index);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        if (call is null)
        {
            json.WriteString("content", texts.Of(choice));
        }
        else if (call.Content is null)
        {
            json.WriteNull("content");
        }
        else
        {
            json.WriteString("content", call.Content);
        }
        json.WriteNull("refusal");
        ToolCallJson.WriteCalls(json, call);
        json.WriteNull("reasoning_content");
        json.WriteEndObject();
        json.WriteNull("logprobs");
        FinishJson.Write(json, texts.FinishOf(choice));
        json.WriteEndObject();
    }
}
