using System.Globalization;
using GpuRouter.Gpu;
using Prometheus;

namespace GpuRouter.Telemetry;

/// <summary>
/// The router_gpu_* gauges, set from <see cref="IGpuTelemetry.Current"/> before each scrape. A GPU
/// that stopped answering keeps only router_gpu_available; a GPU missing from the reading loses
/// every series. prometheus-net writes HELP and TYPE for any registered family, series or not, so
/// the families are registered at the first scrape that has a GPU reading: with telemetry off the
/// page says nothing about GPUs, as before.
/// </summary>
internal sealed class GpuMetricFamilies
{
    private static readonly Family[] Families =
    [
        new("router_gpu_available", "1 while NVML answers for the GPU, 0 after it failed (e.g. GPU is lost).",
            g => g.Available ? 1 : 0, OnlyAvailable: false),
        new("router_gpu_memory_used_bytes", "GPU memory in use, from NVML.", g => g.MemoryUsedBytes),
        new("router_gpu_memory_total_bytes", "GPU memory in total, from NVML.", g => g.MemoryTotalBytes),
        new("router_gpu_utilization_ratio", "Share of NVML's last sample period in which a kernel ran on the GPU (0-1).",
            g => g.UtilizationPercent / 100.0),
        new("router_gpu_temperature_celsius", "GPU die temperature.", g => g.TemperatureCelsius),
        new("router_gpu_power_watts", "GPU power draw.", g => g.PowerWatts),
    ];

    private readonly MetricFactory factory;
    private readonly IGpuTelemetry gpus;
    private readonly Lock gate = new();
    private (Gauge Gauge, VanishedSeries Vanished)[]? gauges;

    private GpuMetricFamilies(MetricFactory factory, IGpuTelemetry gpus)
    {
        this.factory = factory;
        this.gpus = gpus;
    }

    public static void Register(CollectorRegistry registry, MetricFactory factory, IGpuTelemetry gpus) =>
        registry.AddBeforeCollectCallback(new GpuMetricFamilies(factory, gpus).Update);

    private void Update()
    {
        var readings = gpus.Enabled ? gpus.Current.Gpus : [];
        var families = Gauges(register: readings.Count > 0);
        if (families is null)
        {
            return;
        }

        for (var i = 0; i < Families.Length; i++)
        {
            var (family, (gauge, vanished)) = (Families[i], families[i]);
            vanished.Update(() =>
            {
                var written = new HashSet<string>(StringComparer.Ordinal);
                foreach (var gpu in readings.Where(g => g.Available || !family.OnlyAvailable))
                {
                    var label = gpu.Index.ToString(CultureInfo.InvariantCulture);
                    gauge.WithLabels([label]).Set(family.Read(gpu));
                    written.Add(label);
                }

                return written;
            });
        }
    }

    private (Gauge, VanishedSeries)[]? Gauges(bool register)
    {
        lock (gate)
        {
            if (gauges is null && register)
            {
                gauges = [.. Families.Select(f =>
                {
                    var gauge = factory.CreateGauge(f.Name, f.Help, "gpu");
                    return (gauge, new VanishedSeries(gpu => gauge.RemoveLabelled(gpu)));
                })];
            }

            return gauges;
        }
    }

    private sealed record Family(string Name, string Help, Func<GpuReading, double> Read, bool OnlyAvailable = true);
}
