namespace GpuRouter.Proxy;

/// <summary>Writes the request's log line (and, with telemetry, its metrics) once it is over.</summary>
internal sealed class RequestObserver(TimeProvider time, ILogger<RequestObserver> logger)
{
    public void Completed(HttpContext context, RequestRecord record, int status)
    {
        var duration = time.GetElapsedTime(record.StartedAt);
        RequestLog.Completed(
            logger, context.Request.Method, context.Request.Path.Value ?? "", status, record.Client.Name,
            record.Client.Source.ToString().ToLowerInvariant(), record.Model, record.Instance, record.Gpu,
            record.EstimatedTokens, record.Usage.PromptTokens, record.Usage.CompletionTokens,
            record.QueueWait.TotalMilliseconds, record.ColdStart?.TotalMilliseconds,
            record.TimeToFirstByte?.TotalMilliseconds, duration.TotalMilliseconds, record.Outcome);
    }
}
