namespace GpuRouter.Telemetry;

internal sealed class GaugeFamily(string name, string help, IReadOnlyList<string> labelNames)
    : LabeledFamily<Gauge>(name, help, MetricType.Gauge, labelNames)
{
    protected override Gauge CreateChild(LabelValues labels) => new();

    protected override void WriteChild(ExpositionWriter writer, in LabelValues labels, Gauge child) =>
        writer.WriteSample(Name, string.Empty, LabelNames, labels, child.Value);
}
