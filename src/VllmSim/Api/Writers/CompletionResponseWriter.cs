using Microsoft.AspNetCore.Http;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>A non-streamed text completion (object "text_completion").</summary>
internal sealed class CompletionResponseWriter(HttpContext context, GenerationJob job, long created) : IGenerationWriter
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
            json.WriteString("id", JsonOut.NewId("cmpl-"));
            json.WriteString("object", "text_completion");
            json.WriteNumber("created", created);
            json.WriteString("model", job.Model);
            json.WriteStartArray("choices");
            foreach (var choice in job.Choices)
            {
                json.WriteStartObject();
                json.WriteNumber("index", choice.Index);
                json.WriteString("text", texts.Of(choice));
                json.WriteNull("logprobs");
                FinishJson.Write(json, texts.FinishOf(choice));
                json.WriteNull("prompt_logprobs");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            UsageJson.Write(json, promptTokens, completionTokens);
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(ct);
    }

    public void Dispose()
    {
    }
}
