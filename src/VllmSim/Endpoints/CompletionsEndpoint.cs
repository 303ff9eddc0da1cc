using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VllmSim.Api;
using VllmSim.Api.Json;
using VllmSim.Api.Writers;
using VllmSim.Engine;
using VllmSim.Generation;

namespace VllmSim.Endpoints;

/// <summary>POST /v1/completions: a prompt string, a batch of them, or token ids.</summary>
internal sealed class CompletionsEndpoint(SimOptions options, ServedModels models, GenerationRunner runner, SimStats stats, TimeProvider time)
{
    /// <summary>A bound of the simulator's own on prompts times n, against hostile batches.</summary>
    private const int MaxChoices = 1024;

    public Task HandleAsync(HttpContext context) =>
        GenerationEndpoint.HandleAsync(context, SimJsonContext.Default.CompletionRequest, Plan, (_, job) =>
        {
            var created = time.GetUtcNow().ToUnixTimeSeconds();
            return job.Stream ? new CompletionStreamWriter(context, job, created) : new CompletionResponseWriter(context, job, created);
        }, runner, stats);

    private GenerationJob? Plan(CompletionRequest request, out ApiError? error)
    {
        if ((error = SamplingRules.StreamOptions(request.Stream, request.StreamOptions)) is not null
            || (error = models.Resolve(request.Model, out var model)) is not null
            || (error = Prompts(request.Prompt, out var prompts)) is not null
            || (error = SamplingRules.Choices(request.N, out var n)) is not null
            || (error = SamplingRules.MaxTokens(request.MaxTokens, "max_tokens")) is not null
            || (error = SamplingRules.Stop(request.Stop, out var stops)) is not null)
        {
            return null;
        }
        if ((long)prompts.Count * n > MaxChoices)
        {
            error = ApiError.BadRequest($"A request may ask for at most {MaxChoices} completions (prompts times n).", "n");
            return null;
        }
        var choices = new List<ChoicePlan>(prompts.Count * n);
        var promptTokens = 0;
        for (var p = 0; p < prompts.Count; p++)
        {
            var (text, tokens) = prompts[p];
            if ((error = ContextWindow.Fit(tokens, request.MaxTokens, options, out var outputTokens, out var finish)) is not null)
            {
                return null;
            }
            promptTokens += tokens;
            var seed = TextGenerator.SeedOf(text, request.Seed);
            for (var i = 0; i < n; i++)
            {
                choices.Add(ChoicePlan.Create((p * n) + i, seed, i, outputTokens, finish, stops));
            }
        }
        return new GenerationJob
        {
            Model = model,
            PromptTokens = promptTokens,
            Choices = choices,
            Stream = request.Stream == true,
            IncludeUsage = request.StreamOptions?.IncludeUsage == true,
        };
    }

    /// <summary>Each prompt's text (token ids are joined to seed the output) and token count.</summary>
    private static ApiError? Prompts(JsonElement prompt, out List<(string Text, int Tokens)> prompts)
    {
        prompts = [];
        if (prompt.ValueKind == JsonValueKind.String)
        {
            var text = prompt.GetString()!;
            prompts.Add((text, SimTokenizer.Count(text)));
            return null;
        }
        if (prompt.ValueKind == JsonValueKind.Array && TokenInputs.Read(prompt, prompts))
        {
            return prompts.Count == 0 ? ApiError.BadRequest("prompt must not be empty.", "prompt") : null;
        }
        return ApiError.BadRequest("prompt must be a string, a list of strings, or a list of token ids.", "prompt");
    }
}
