using GpuRouter.Telemetry;
using GpuRouter.Timeline;
using GpuRouter.Usage;

namespace GpuRouter.Requests;

/// <summary>Writes the request's log line, its metrics and its line on the status page once it is over.</summary>
internal sealed class RequestObserver(
    RouterMetrics metrics, UsageRecorder usage, RecentRequests recent, TimeProvider time, ILoggerFactory loggers)
{
    // The request line's category (SourceContext in the JSON log) from before Requests/ existed: log queries use it.
    private readonly ILogger _logger = loggers.CreateLogger("GpuRouter.Proxy.RequestObserver");

    public void Completed(HttpContext context, RequestRecord record, int status)
    {
        var duration = time.GetElapsedTime(record.StartedAt);
        var source = RequestEvents.SourceLabel(record.Client.Source);
        metrics.RecordRequest(RequestEvents.Metrics(record, status, duration));
        usage.Record(RequestEvents.Usage(record, status, duration, time.GetUtcNow()));
        recent.Add(new RecentRequest(
            time.GetUtcNow(), record.Client.Name, record.Model, record.Instance, record.Gpu, status,
            record.QueueWait.TotalMilliseconds, record.ColdStart?.TotalMilliseconds, record.Usage.PromptTokens,
            record.Usage.CompletionTokens, duration.TotalMilliseconds, record.Outcome));
        RequestLog.Completed(
            _logger, context.Request.Method, context.Request.Path.Value ?? "", status, record.Client.Name, source,
            record.Model, record.Instance, record.Gpu, record.EstimatedTokens, record.Usage.PromptTokens,
            record.Usage.CompletionTokens, record.QueueWait.TotalMilliseconds, record.ColdStart?.TotalMilliseconds, record.Wake?.TotalMilliseconds,
            record.TimeToFirstByte?.TotalMilliseconds, duration.TotalMilliseconds, record.Outcome, record.UserId);
    }
}
