namespace Router.Tests.Usage;

/// <summary>One row of usage_events as the tests compare it.</summary>
internal sealed record UsageRow(
    Guid Id, string Client, string Source, string? ModelRequested, string? ModelServed, string? Instance, string? Gpu,
    int Status, int PromptTokens, int CompletionTokens, int EstimatedPromptTokens, int QueueMs, int? TtftMs,
    int DurationMs, int? ColdStartMs);
