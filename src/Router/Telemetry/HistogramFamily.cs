namespace GpuRouter.Telemetry;

internal sealed class HistogramFamily : LabeledFamily<Histogram>
{
    private readonly double[] upperBounds;

    public HistogramFamily(string name, string help, IReadOnlyList<double> upperBounds, IReadOnlyList<string> labelNames)
        : base(name, help, MetricType.Histogram, labelNames)
    {
        this.upperBounds = [.. upperBounds.Where(b => !double.IsPositiveInfinity(b))];
        for (var i = 0; i < this.upperBounds.Length; i++)
        {
            if (double.IsNaN(this.upperBounds[i]) || (i > 0 && this.upperBounds[i] <= this.upperBounds[i - 1]))
            {
                throw new ArgumentException($"{name}: bucket bounds must be numbers in increasing order", nameof(upperBounds));
            }
        }
    }

    public IReadOnlyList<double> UpperBounds => upperBounds;

    protected override Histogram CreateChild(LabelValues labels) => new(upperBounds);

    protected override void WriteChild(ExpositionWriter writer, in LabelValues labels, Histogram child)
    {
        Span<long> counts = stackalloc long[upperBounds.Length + 1];
        child.CopyCounts(counts);
        long cumulative = 0;
        for (var i = 0; i < upperBounds.Length; i++)
        {
            cumulative += counts[i];
            writer.WriteBucket(Name, LabelNames, labels, upperBounds[i], cumulative);
        }

        cumulative += counts[^1];
        writer.WriteBucket(Name, LabelNames, labels, double.PositiveInfinity, cumulative);
        writer.WriteSample(Name, "_sum", LabelNames, labels, child.Sum);
        writer.WriteCount(Name, "_count", LabelNames, labels, cumulative);
    }
}
