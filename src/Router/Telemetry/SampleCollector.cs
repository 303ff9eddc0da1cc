namespace GpuRouter.Telemetry;

/// <summary>What a <see cref="CallbackFamily"/>'s callback fills at scrape time: one value per label set.</summary>
internal sealed class SampleCollector(int labelCount)
{
    private readonly List<(LabelValues Labels, double Value)> samples = [];

    public void Add(double value, params ReadOnlySpan<string?> labelValues)
    {
        if (labelValues.Length != labelCount)
        {
            throw new ArgumentException($"expected {labelCount} label values, got {labelValues.Length}", nameof(labelValues));
        }

        samples.Add((new LabelValues(labelValues), value));
    }

    internal List<(LabelValues Labels, double Value)> Samples => samples;
}
