using System.Diagnostics;
using Prometheus;

namespace GpuRouter.Telemetry;

/// <summary>
/// The standard process_* metrics that Prometheus client libraries export, read before each
/// scrape. prometheus-net's own set lives in its default metrics, which the router keeps off (they
/// bring the event-counter and meter adapters along), and has no resident memory at all.
/// </summary>
internal static class ProcessMetricFamilies
{
    public static void Register(CollectorRegistry registry, MetricFactory factory)
    {
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        var start = factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        using (var process = Process.GetCurrentProcess())
        {
            // StartTime is local; the offset makes it an instant, and it never changes afterwards.
            start.Set(new DateTimeOffset(process.StartTime).ToUnixTimeMilliseconds() / 1000.0);
        }

        registry.AddBeforeCollectCallback(() =>
        {
            resident.Set(Environment.WorkingSet);
            cpu.IncTo(Environment.CpuUsage.TotalTime.TotalSeconds);
        });
    }
}
