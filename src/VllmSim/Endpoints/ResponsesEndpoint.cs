using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Api.Json;
using VllmSim.Api.Writers;
using VllmSim.Engine;
using VllmSim.Generation;

namespace VllmSim.Endpoints;

/// <summary>POST /v1/responses (the OpenAI Responses API, used by n8n's OpenAI node).</summary>
internal sealed class ResponsesEndpoint(SimOptions options, ServedModels models, GenerationRunner runner, SimStats stats, TimeProvider time)
{
    public Task HandleAsync(HttpContext context) =>
        GenerationEndpoint.HandleAsync(context, SimJsonContext.Default.ResponsesRequest, Plan, (request, job) =>
        {
            var state = new ResponseState(job.Model, time.GetUtcNow().ToUnixTimeSeconds(), request.MaxOutputTokens, request.Instructions);
            return job.Stream ? new ResponsesStreamWriter(context, job, state) : new ResponsesResponseWriter(context, job, state);
        }, runner, stats);

    private GenerationJob? Plan(ResponsesRequest request, out ApiError? error)
    {
        if ((error = models.Resolve(request.Model, out var model)) is not null
            || (error = SamplingRules.MaxTokens(request.MaxOutputTokens, "max_output_tokens")) is not null
            || (error = PromptRenderer.RenderResponsesInput(request.Input, request.Instructions, out var prompt)) is not null)
        {
            return null;
        }
        var promptTokens = SimTokenizer.Count(prompt);
        if ((error = ContextWindow.Fit(promptTokens, request.MaxOutputTokens, options, out var outputTokens, out var finish)) is not null)
        {
            return null;
        }
        return new GenerationJob
        {
            Model = model,
            PromptTokens = promptTokens,
            Choices = [ChoicePlan.Create(0, TextGenerator.SeedOf(prompt, request.Seed), 0, outputTokens, finish, [])],
            Stream = request.Stream == true,
        };
    }
}
