namespace GpuRouter.Forwarding;

public readonly record struct ForwardResult(
    ForwarderError Error,
    int Status,
    UsageCounts Usage,
    TimeSpan? TimeToFirstByte,
    string? Detail = null);
