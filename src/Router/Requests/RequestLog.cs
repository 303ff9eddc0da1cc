namespace GpuRouter.Requests;

/// <summary>
/// One structured line per request. Never a key, a prompt or a completion; of Open WebUI's end
/// user only the id (trustUserHeaders keys), never the name or the e-mail.
/// </summary>
internal static partial class RequestLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "{Method} {Path} {Status} client={Client} source={Source} model={Model} instance={Instance} gpu={Gpu} estimatedTokens={EstimatedTokens} promptTokens={PromptTokens} completionTokens={CompletionTokens} queueMs={QueueMs} coldStartMs={ColdStartMs} wakeMs={WakeMs} ttftMs={TtftMs} durationMs={DurationMs} outcome={Outcome} user={User}")]
    public static partial void Completed(
        ILogger logger, string method, string path, int status, string client, string source, string? model, string? instance,
        string? gpu, int estimatedTokens, int promptTokens, int completionTokens, double queueMs, double? coldStartMs,
        double? wakeMs, double? ttftMs, double durationMs, string outcome, string? user);
}
