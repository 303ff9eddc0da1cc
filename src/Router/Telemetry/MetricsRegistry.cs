using System.Buffers;

namespace GpuRouter.Telemetry;

/// <summary>
/// The router's metric families, written in name order. Registration is rare and copies the
/// family list, so a scrape reads it without a lock.
/// </summary>
internal sealed class MetricsRegistry
{
    private readonly Lock gate = new();
    private MetricFamily[] families = [];
    private Action[] collectHooks = [];

    public CounterFamily Counter(string name, string help, params string[] labelNames) =>
        Add(new CounterFamily(name, help, labelNames));

    public GaugeFamily Gauge(string name, string help, params string[] labelNames) =>
        Add(new GaugeFamily(name, help, labelNames));

    public HistogramFamily Histogram(string name, string help, IReadOnlyList<double> upperBounds, params string[] labelNames) =>
        Add(new HistogramFamily(name, help, upperBounds, labelNames));

    public CallbackFamily Callback(string name, string help, MetricType type, string[] labelNames, Action<SampleCollector> collect) =>
        Add(new CallbackFamily(name, help, type, labelNames, collect));

    /// <summary>Runs before every scrape, e.g. to copy the router's live state into pushed gauges.</summary>
    public void OnCollect(Action hook)
    {
        lock (gate)
        {
            collectHooks = [.. collectHooks, hook];
        }
    }

    public void Write(IBufferWriter<byte> output)
    {
        foreach (var hook in Volatile.Read(ref collectHooks))
        {
            hook();
        }

        var writer = new ExpositionWriter(output);
        foreach (var family in Volatile.Read(ref families))
        {
            family.Write(writer);
        }
    }

    private T Add<T>(T family)
        where T : MetricFamily
    {
        lock (gate)
        {
            if (families.Any(f => f.Name == family.Name))
            {
                throw new InvalidOperationException($"metric {family.Name} is registered twice");
            }

            families = [.. families.Append(family).OrderBy(f => f.Name, StringComparer.Ordinal)];
        }

        return family;
    }
}
