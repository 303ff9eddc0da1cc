using GpuRouter.Configuration;
using GpuRouter.Usage;

namespace GpuRouter.Requests;

/// <summary>
/// A finished request as each sink takes it: metrics and usage have their own event types, built
/// here, so neither depends on the pipeline's <see cref="RequestRecord"/>. Structs: nothing allocated.
/// </summary>
internal static class RequestEvents
{
    public static string SourceLabel(ClientSource source) => source == ClientSource.Interactive ? "interactive" : "batch";

    public static Telemetry.RequestRecord Metrics(RequestRecord record, int status, TimeSpan duration) =>
        new(
            // Only a model the router resolved becomes a label: a client's made-up names must not grow the series.
            record.Instance is null ? "" : record.ServedBy ?? "",
            record.Instance ?? "", record.Gpu ?? "", SourceLabel(record.Client.Source), status, duration, record.QueueWait,
            record.TimeToFirstByte, record.Usage.PromptTokens, record.Usage.CompletionTokens);

    public static UsageEvent Usage(RequestRecord record, int status, TimeSpan duration, DateTimeOffset now) =>
        new(
            Guid.CreateVersion7(now),
            now,
            record.Client.Name,
            SourceLabel(record.Client.Source),
            record.Model,
            record.ServedBy,
            record.Instance,
            record.Gpu,
            status,
            record.Usage.PromptTokens,
            record.Usage.CompletionTokens,
            record.EstimatedTokens,
            UsageEvent.Milliseconds(record.QueueWait),
            record.TimeToFirstByte is { } ttft ? UsageEvent.Milliseconds(ttft) : null,
            UsageEvent.Milliseconds(duration),
            record.ColdStart is { } cold ? UsageEvent.Milliseconds(cold) : null,
            record.UserId,
            record.UserName);
}
