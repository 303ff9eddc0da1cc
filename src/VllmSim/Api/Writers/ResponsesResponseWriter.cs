using Microsoft.AspNetCore.Http;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>A non-streamed Responses API response (object "response").</summary>
internal sealed class ResponsesResponseWriter(HttpContext context, GenerationJob job, ResponseState state) : IGenerationWriter
{
    private readonly ChoiceTexts texts = new(job);

    public Task BeginAsync(CancellationToken ct) => Task.CompletedTask;

    public void Token(ChoicePlan choice, int position, string text, bool last) => texts.Add(choice, text);

    public ValueTask<bool> FlushAsync(CancellationToken ct) => ValueTask.FromResult(true);

    public async Task EndAsync(int promptTokens, int completionTokens, CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        var choice = job.Choices[0];
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            var status = choice.FinishReason == "length" ? "incomplete" : "completed";
            ResponsesJson.WriteResponse(json, state, status, texts.Of(choice), (promptTokens, completionTokens));
        }
        await response.BodyWriter.FlushAsync(ct);
    }

    public void Dispose()
    {
    }
}
