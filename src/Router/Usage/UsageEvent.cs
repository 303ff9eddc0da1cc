namespace GpuRouter.Usage;

/// <summary>
/// One finished request as stored in usage_events. <see cref="UserId"/> and <see cref="UserName"/>
/// are Open WebUI's end user, only for keys with <c>trustUserHeaders</c> (never the e-mail). A struct: the bounded channel keeps it inline,
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
    int? ColdStartMs,
    string? UserId = null,
    string? UserName = null)
{
    public bool IsError => Status >= 400;

    /// <summary>Whole milliseconds as stored, rounded and clamped to an int.</summary>
    public static int Milliseconds(TimeSpan t) => (int)Math.Clamp(Math.Round(t.TotalMilliseconds), 0, int.MaxValue);
}
