namespace GpuRouter.Usage;

/// <summary>What one client used of one model since the router started.</summary>
internal sealed record UsageTotal(
    string Client, string Model, long Requests, long Errors, long PromptTokens, long CompletionTokens);
