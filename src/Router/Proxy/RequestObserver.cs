using GpuRouter.Timeline;
using GpuRouter.Telemetry;
using GpuRouter.Usage;

namespace GpuRouter.Proxy;

/// <summary>Writes the request's log line, its metrics and its line on the status page once it is over.</summary>
internal sealed class RequestObserver(
    RouterMetrics metrics, UsageRecorder usage, RecentRequests recent, TimeProvider time, ILogger<RequestObserver> logger)
{
    public void Completed(HttpContext context, RequestRecord record, int status)
    {
        var duration = time.GetElapsedTime(record.StartedAt);
        var source = record.Client.Source == Configuration.ClientSource.Interactive ? "interactive" : "batch";
        // Only a model the router resolved becomes a label: a client's made-up names must not grow the series.
        var model = record.Instance is null ? "" : record.ServedBy ?? "";
        metrics.RecordRequest(new Telemetry.RequestRecord(
            model, record.Instance ?? "", record.Gpu ?? "", source, status, duration, record.QueueWait,
            record.TimeToFirstByte, record.Usage.PromptTokens, record.Usage.CompletionTokens));
        usage.Record(record, status, duration);
        recent.Add(new RecentRequest(
            time.GetUtcNow(), record.Client.Name, record.Model, record.Instance, record.Gpu, status,
            record.QueueWait.TotalMilliseconds, record.ColdStart?.TotalMilliseconds, record.Usage.PromptTokens,
            record.Usage.CompletionTokens, duration.TotalMilliseconds, record.Outcome));
        RequestLog.Completed(
            logger, context.Request.Method, context.Request.Path.Value ?? "", status, record.Client.Name, source,
            record.Model, record.Instance, record.Gpu, record.EstimatedTokens, record.Usage.PromptTokens,
            record.Usage.CompletionTokens, record.QueueWait.TotalMilliseconds, record.ColdStart?.TotalMilliseconds,
            record.TimeToFirstByte?.TotalMilliseconds, duration.TotalMilliseconds, record.Outcome);
    }
}
