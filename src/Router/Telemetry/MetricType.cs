namespace GpuRouter.Telemetry;

/// <summary>The Prometheus metric types the router exposes (no summaries: histograms aggregate across instances).</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
