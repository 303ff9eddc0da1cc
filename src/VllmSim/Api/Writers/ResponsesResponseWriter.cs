using Microsoft.AspNetCore.Http;
using VllmSim.Generation;

namespace VllmSim.Api.Writers;

/// <summary>A non-streamed Responses API response (object "response").</summary>
internal sealed class ResponsesResponseWriter(HttpContext context, GenerationJob job, ResponseState state) : IGenerationWriter
{
    private readonly ChoiceTexts texts = new(job);

    public Task BeginAsync(CancellationToken ct) => Task.CompletedTask;

    public void Token(ChoicePlan choice, int position, string text, bool last) => texts.Add(choice, text, last);

    public ValueTask<bool> FlushAsync(CancellationToken ct) => ValueTask.FromResult(true);

    public async Task EndAsync(int promptTokens, int completionTokens, bool aborted, CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = JsonOut.JsonContentType;
        var choice = job.Choices[0];
        using (var json = JsonOut.Writer(response.BodyWriter))
        {
            // vLLM's simple (non-harmony) path marks only a length stop; an aborted response still says "completed".
            var status = texts.FinishOf(choice) == "length" ? "incomplete" : "completed";
            var call = texts.CallOf(choice);
            ResponsesJson.WriteResponse(json, state, status, ResponsesJson.FinalOutput(state, call is null ? texts.Of(choice) : string.Empty, call), (promptTokens, completionTokens));
        }
        await response.BodyWriter.FlushAsync(ct);
    }

    public void Dispose()
    {
    }
}
