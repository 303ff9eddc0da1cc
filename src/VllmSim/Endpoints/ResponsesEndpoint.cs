using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Api.Json;
using VllmSim.Api.Writers;
using VllmSim.Engine;
using VllmSim.Generation;
using VllmSim.Tools;

namespace VllmSim.Endpoints;

/// <summary>
/// POST /v1/responses (the OpenAI Responses API, used by n8n's OpenAI node). Tool calls come out as
/// function_call items when the server parses them (--enable-auto-tool-choice, or a forced
/// tool_choice); under "auto" without the flags vLLM does not refuse the request as chat does:
/// the model's call reaches the client as plain output text.
/// </summary>
internal sealed class ResponsesEndpoint(SimOptions options, ServedModels models, GenerationRunner runner, SimStats stats, TimeProvider time)
{
    public Task HandleAsync(HttpContext context) =>
        GenerationEndpoint.HandleAsync(context, SimJsonContext.Default.ResponsesRequest, Plan, (request, job) =>
        {
            var state = new ResponseState(job.Model, time.GetUtcNow().ToUnixTimeSeconds(), request.MaxOutputTokens, request.Instructions, request.Tools, request.ToolChoice);
            return job.Stream ? new ResponsesStreamWriter(context, job, state) : new ResponsesResponseWriter(context, job, state);
        }, runner, stats);

    private GenerationJob? Plan(ResponsesRequest request, out ApiError? error)
    {
        if ((error = models.Resolve(request.Model, out var model)) is not null
            || (error = SamplingRules.MaxTokens(request.MaxOutputTokens, "max_output_tokens")) is not null
            || (error = PromptRenderer.RenderResponsesInput(request.Input, request.Instructions, out var conversation)) is not null
            || (error = ToolRules.Read(request.Tools, request.ToolChoice, flat: true, out var tools)) is not null
            || (error = ToolPlanner.Decide(tools, ConversationTail.OfResponses(request.Input), options, responsesApi: true, out var decision)) is not null)
        {
            return null;
        }
        var prompt = PromptRenderer.RenderTools(request.Tools) + conversation;
        var promptTokens = SimTokenizer.Count(prompt);
        if ((error = ContextWindow.Fit(promptTokens, request.MaxOutputTokens, options, out var outputTokens, out var finish)) is not null)
        {
            return null;
        }
        var budget = request.MaxOutputTokens ?? options.MaxModelLen - promptTokens;
        var choice = decision.Call is { } call
            ? ChoicePlan.ForScript(0, call.RawTokens, budget, decision.Parsed ? call.FinishReason : "stop", decision.Parsed ? call : null)
            : ChoicePlan.Create(0, TextGenerator.SeedOf(prompt, request.Seed), 0, outputTokens, finish, []);
        return new GenerationJob
        {
            Model = model,
            PromptTokens = promptTokens,
            Choices = [choice],
            Stream = request.Stream == true,
        };
    }
}
