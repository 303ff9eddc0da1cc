namespace GpuRouter.Telemetry;

internal sealed class CounterFamily(string name, string help, IReadOnlyList<string> labelNames)
    : LabeledFamily<Counter>(name, help, MetricType.Counter, labelNames)
{
    protected override Counter CreateChild(LabelValues labels) => new();

    protected override void WriteChild(ExpositionWriter writer, in LabelValues labels, Counter child) =>
        writer.WriteSample(Name, string.Empty, LabelNames, labels, child.Value);
}
