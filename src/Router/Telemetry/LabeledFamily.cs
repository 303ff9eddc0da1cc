using System.Collections.Concurrent;

namespace GpuRouter.Telemetry;

/// <summary>
/// A family whose children (one per label set) are created on first use and then found again
/// without allocating. Callers on a hot path may also keep the child they were given.
/// </summary>
internal abstract class LabeledFamily<TChild> : MetricFamily
    where TChild : class
{
    private readonly ConcurrentDictionary<LabelValues, TChild> children = new();

    protected LabeledFamily(string name, string help, MetricType type, IReadOnlyList<string> labelNames)
        : base(name, help, type, labelNames)
    {
    }

    /// <summary>The child for these label values, in the order of the family's label names.</summary>
    public TChild WithLabels(params ReadOnlySpan<string?> values)
    {
        var key = Key(values);
        return children.TryGetValue(key, out var child)
            ? child
            : children.GetOrAdd(key, static (k, family) => family.CreateChild(k), this);
    }

    public override void Write(ExpositionWriter writer)
    {
        var series = children.ToArray();
        if (series.Length == 0)
        {
            return;
        }

        Array.Sort(series, static (a, b) => a.Key.CompareTo(b.Key));
        writer.WriteHeader(Name, Help, Type);
        foreach (var (labels, child) in series)
        {
            WriteChild(writer, labels, child);
        }
    }

    protected abstract TChild CreateChild(LabelValues labels);

    protected abstract void WriteChild(ExpositionWriter writer, in LabelValues labels, TChild child);
}
