using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Api.Json;
using VllmSim.Api.Writers;
using VllmSim.Engine;
using VllmSim.Generation;
using VllmSim.Tools;

namespace VllmSim.Endpoints;

/// <summary>POST /v1/chat/completions, plain and streamed, with vLLM's tool calling.</summary>
internal sealed class ChatEndpoint(SimOptions options, ServedModels models, GenerationRunner runner, SimStats stats, TimeProvider time)
{
    public Task HandleAsync(HttpContext context) =>
        GenerationEndpoint.HandleAsync(context, SimJsonContext.Default.ChatRequest, Plan, (_, job) =>
        {
            var created = time.GetUtcNow().ToUnixTimeSeconds();
            return job.Stream ? new ChatStreamWriter(context, job, created) : new ChatResponseWriter(context, job, created);
        }, runner, stats);

    private GenerationJob? Plan(ChatRequest request, out ApiError? error)
    {
        if ((error = SamplingRules.StreamOptions(request.Stream, request.StreamOptions)) is not null
            || (error = models.Resolve(request.Model, out var model)) is not null)
        {
            return null;
        }
        if (request.Messages is not { Count: > 0 } messages)
        {
            error = ApiError.BadRequest("messages must be a non-empty list of messages.", "messages");
            return null;
        }
        if ((error = SamplingRules.Choices(request.N, out var n)) is not null
            || (error = SamplingRules.MaxTokens(request.MaxCompletionTokens, "max_completion_tokens")) is not null
            || (error = SamplingRules.MaxTokens(request.MaxTokens, "max_tokens")) is not null
            || (error = SamplingRules.Stop(request.Stop, out var stops)) is not null
            || (error = ToolRules.Read(request.Tools, request.ToolChoice, flat: false, out var tools)) is not null
            || (error = PromptRenderer.RenderChat(messages, out var conversation)) is not null
            || (error = ToolPlanner.Decide(tools, ConversationTail.OfChat(messages), options, responsesApi: false, out var decision)) is not null)
        {
            return null;
        }
        var prompt = PromptRenderer.RenderTools(request.Tools) + conversation;
        var promptTokens = SimTokenizer.Count(prompt);
        var requested = request.MaxCompletionTokens ?? request.MaxTokens;
        if ((error = ContextWindow.Fit(promptTokens, requested, options, out var outputTokens, out var finish)) is not null)
        {
            return null;
        }
        var seed = TextGenerator.SeedOf(prompt, request.Seed);
        var budget = requested ?? options.MaxModelLen - promptTokens;
        return new GenerationJob
        {
            Model = model,
            PromptTokens = promptTokens,
            Choices = [.. Enumerable.Range(0, n).Select(i => decision.Call is { } call
                ? ChoicePlan.ForScript(i, call.RawTokens, budget, call.FinishReason, call)
                : ChoicePlan.Create(i, seed, i, outputTokens, finish, stops))],
            Stream = request.Stream == true,
            IncludeUsage = request.StreamOptions?.IncludeUsage == true,
        };
    }
}
