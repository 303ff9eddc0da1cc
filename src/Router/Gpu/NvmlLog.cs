using Microsoft.Extensions.Logging;

namespace GpuRouter.Gpu;

/// <summary>The GPU feature's log lines; event ids 7000-7099 are stable for alerting.</summary>
internal static partial class NvmlLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning,
        Message = "GPU telemetry is off: NVML library {Library} could not be loaded ({Reason}); routing works without it")]
    public static partial void LibraryUnavailable(ILogger logger, string library, string reason);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "GPU telemetry is off: nvmlInit_v2 failed with {Code}: {NvmlError}; routing works without it")]
    public static partial void InitFailed(ILogger logger, int code, string nvmlError);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information,
        Message = "GPU telemetry on: NVML {Library}, polled every {PollInterval}")]
    public static partial void Started(ILogger logger, string library, TimeSpan pollInterval);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning,
        Message = "GPU {Index} is unavailable: {Call} failed with {Code}: {NvmlError}")]
    public static partial void GpuUnavailable(ILogger logger, int index, string call, int code, string nvmlError);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "GPU {Index} answers again")]
    public static partial void GpuRecovered(ILogger logger, int index);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning,
        Message = "NVML cannot count the GPUs: nvmlDeviceGetCount_v2 failed with {Code}: {NvmlError}")]
    public static partial void CountFailed(ILogger logger, int code, string nvmlError);
}
