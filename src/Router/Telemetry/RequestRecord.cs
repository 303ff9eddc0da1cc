namespace GpuRouter.Telemetry;

/// <summary>
/// One finished client request, as <see cref="RouterMetrics.RecordRequest"/> counts it.
/// Use an empty string for what a request never had (no instance for a 404, no GPU for an
/// endpoint instance): Prometheus reads an empty label as an absent one.
/// </summary>
/// <param name="Model">The model name the client sent, e.g. "llama".</param>
/// <param name="Instance">The instance that served it, e.g. "llama_0".</param>
/// <param name="Gpu">The instance's GPUs as in X-Router-Gpu, e.g. "0" or "0,1".</param>
/// <param name="Source">"interactive" or "batch", from the client's key.</param>
/// <param name="Status">The HTTP status sent to the client (499 when the client went away).</param>
/// <param name="Duration">From arrival to the last byte.</param>
/// <param name="QueueWait">Time spent waiting for a slot, zero when none was waited for.</param>
/// <param name="TimeToFirstToken">Arrival to the first content byte; null when nothing was streamed.</param>
public readonly record struct RequestRecord(
    string Model,
    string Instance,
    string Gpu,
    string Source,
    int Status,
    TimeSpan Duration,
    TimeSpan QueueWait,
    TimeSpan? TimeToFirstToken,
    long PromptTokens,
    long CompletionTokens);
