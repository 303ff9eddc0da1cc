namespace GpuRouter.Usage;

/// <summary>
/// One finished request as stored in usage_events. A struct: the bounded channel keeps it inline,
/// so handing it over allocates nothing on the request path.
/// </summary>
internal readonly record struct UsageEvent(
    Guid Id,
    DateTimeOffset Timestamp,
    string Client,
    string Source,
    string? ModelRequested,
    string? ModelServed,
    string? Instance,
    string? Gpu,
    int Status,
    int PromptTokens,
    int CompletionTokens,
    int EstimatedPromptTokens,
    int QueueMs,
    int? TtftMs,
    int DurationMs,
    int? ColdStartMs)
{
    public bool IsError => Status >= 400;
}
