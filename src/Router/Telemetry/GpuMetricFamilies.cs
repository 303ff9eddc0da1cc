using System.Globalization;
using GpuRouter.Gpu;

namespace GpuRouter.Telemetry;

/// <summary>
/// The router_gpu_* gauges, read from <see cref="IGpuTelemetry.Current"/> at scrape time. With
/// telemetry off they write nothing; a GPU that stopped answering keeps only router_gpu_available.
/// </summary>
internal static class GpuMetricFamilies
{
    private static readonly string[] GpuLabel = ["gpu"];

    public static void Register(MetricsRegistry registry, IGpuTelemetry gpus)
    {
        Add(registry, gpus, "router_gpu_available",
            "1 while NVML answers for the GPU, 0 after it failed (e.g. GPU is lost).", g => g.Available ? 1 : 0, onlyAvailable: false);
        Add(registry, gpus, "router_gpu_memory_used_bytes", "GPU memory in use, from NVML.", g => g.MemoryUsedBytes);
        Add(registry, gpus, "router_gpu_memory_total_bytes", "GPU memory in total, from NVML.", g => g.MemoryTotalBytes);
        Add(registry, gpus, "router_gpu_utilization_ratio",
            "Share of NVML's last sample period in which a kernel ran on the GPU (0-1).", g => g.UtilizationPercent / 100.0);
        Add(registry, gpus, "router_gpu_temperature_celsius", "GPU die temperature.", g => g.TemperatureCelsius);
        Add(registry, gpus, "router_gpu_power_watts", "GPU power draw.", g => g.PowerWatts);
    }

    private static void Add(
        MetricsRegistry registry, IGpuTelemetry gpus, string name, string help, Func<GpuReading, double> read, bool onlyAvailable = true) =>
        registry.Callback(name, help, MetricType.Gauge, GpuLabel, samples =>
        {
            if (!gpus.Enabled)
            {
                return;
            }

            foreach (var gpu in gpus.Current.Gpus)
            {
                if (gpu.Available || !onlyAvailable)
                {
                    samples.Add(read(gpu), gpu.Index.ToString(CultureInfo.InvariantCulture));
                }
            }
        });
}
