using System.Diagnostics;

namespace GpuRouter.Telemetry;

/// <summary>The standard process_* metrics that Prometheus client libraries export, read at scrape time.</summary>
internal static class ProcessMetricFamilies
{
    public static void Register(MetricsRegistry registry)
    {
        double startSeconds;
        using (var process = Process.GetCurrentProcess())
        {
            // StartTime is local; the offset makes it an instant, and it never changes afterwards.
            startSeconds = new DateTimeOffset(process.StartTime).ToUnixTimeMilliseconds() / 1000.0;
        }

        registry.Callback("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType.Gauge, [],
            samples => samples.Add(Environment.WorkingSet));
        registry.Callback("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", MetricType.Counter, [],
            samples => samples.Add(Environment.CpuUsage.TotalTime.TotalSeconds));
        registry.Callback("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", MetricType.Gauge, [],
            samples => samples.Add(startSeconds));
    }
}
