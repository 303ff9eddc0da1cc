namespace GpuRouter.Timeline;

/// <summary>
/// One finished proxied request as the status page lists it (<c>GET /admin/requests</c>). A struct
/// copied into <see cref="RecentRequests"/>' array, so recording one allocates nothing.
/// </summary>
/// <param name="At">When it ended (UTC).</param>
/// <param name="Client">The client name of the key it came with.</param>
/// <param name="Model">The model the client asked for; null when the body was refused before it was read.</param>
/// <param name="Instance">The instance that served it; null when none was chosen.</param>
/// <param name="Gpu">The instance's GPUs as in X-Router-Gpu, e.g. "0" or "0,1".</param>
/// <param name="Status">The HTTP status sent (499 when the client went away).</param>
/// <param name="QueueMs">Time it waited for a slot.</param>
/// <param name="ColdStartMs">Time it waited for its instance to start; null when it did not wait.</param>
/// <param name="PromptTokens">Prompt tokens as the backend reported them (0 when it did not).</param>
/// <param name="CompletionTokens">Completion tokens as the backend reported them.</param>
/// <param name="DurationMs">Arrival to last byte.</param>
/// <param name="Outcome">"ok", or what ended it (e.g. "client_gone", an error code).</param>
internal readonly record struct RecentRequest(
    DateTimeOffset At,
    string Client,
    string? Model,
    string? Instance,
    string? Gpu,
    int Status,
    double QueueMs,
    double? ColdStartMs,
    long PromptTokens,
    long CompletionTokens,
    double DurationMs,
    string Outcome);
