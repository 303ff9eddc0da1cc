namespace GpuRouter.Telemetry;

/// <summary>
/// Histogram bounds in seconds, chosen for this box: LLM requests run from tens of milliseconds
/// (embeddings) to minutes (long generations), and a cold start of a 72B model takes minutes.
/// </summary>
internal static class MetricBuckets
{
    public static IReadOnlyList<double> RequestDuration { get; } =
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>Reaches as far as a request duration: a request that waited for a cold start sees it here.</summary>
    public static IReadOnlyList<double> TimeToFirstToken { get; } =
        [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    public static IReadOnlyList<double> QueueWait { get; } =
        [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120];

    public static IReadOnlyList<double> ColdStart { get; } =
        [1, 5, 10, 20, 30, 60, 90, 120, 180, 300, 600, 900];

    /// <summary>Sleeps and wakes: a fraction of a second for a small model, seconds for an 8B, tens of seconds for a 72B.</summary>
    public static IReadOnlyList<double> Wake { get; } =
        [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120];
}
