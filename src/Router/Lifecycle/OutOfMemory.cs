namespace GpuRouter.Lifecycle;

/// <summary>How the router recognises an out-of-memory death: the kernel's OOM kill, exit 137, or CUDA's message.</summary>
internal static class OutOfMemory
{
    public static bool IsOom(bool oomKilled, int? exitCode, string? lastLogs) =>
        oomKilled || exitCode == 137
        || (lastLogs?.Contains("CUDA out of memory", StringComparison.OrdinalIgnoreCase) ?? false)
        || (lastLogs?.Contains("OutOfMemoryError", StringComparison.Ordinal) ?? false);
}
