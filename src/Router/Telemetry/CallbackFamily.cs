namespace GpuRouter.Telemetry;

/// <summary>
/// A family whose values are read when scraped (GPU readings, process figures): nothing is
/// pushed, nothing goes stale, and a series disappears when its source stops reporting it.
/// </summary>
internal sealed class CallbackFamily : MetricFamily
{
    private readonly Action<SampleCollector> collect;

    public CallbackFamily(string name, string help, MetricType type, IReadOnlyList<string> labelNames, Action<SampleCollector> collect)
        : base(name, help, type, labelNames)
    {
        if (type == MetricType.Histogram)
        {
            throw new ArgumentException($"{name}: a callback family is a counter or a gauge", nameof(type));
        }

        this.collect = collect;
    }

    public override void Write(ExpositionWriter writer)
    {
        var collector = new SampleCollector(LabelNames.Count);
        collect(collector);
        var samples = collector.Samples;
        if (samples.Count == 0)
        {
            return;
        }

        samples.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        writer.WriteHeader(Name, Help, Type);
        foreach (var (labels, value) in samples)
        {
            writer.WriteSample(Name, string.Empty, LabelNames, labels, value);
        }
    }
}
