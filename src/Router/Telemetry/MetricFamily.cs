namespace GpuRouter.Telemetry;

/// <summary>A metric name with its help, type and label names, and the series it writes at scrape time.</summary>
internal abstract class MetricFamily
{
    protected MetricFamily(string name, string help, MetricType type, IReadOnlyList<string> labelNames)
    {
        if (!IsValidName(name, allowColon: true))
        {
            throw new ArgumentException($"'{name}' is not a valid metric name", nameof(name));
        }

        if (labelNames.Count > LabelValues.MaxLabels)
        {
            throw new ArgumentException($"{name}: at most {LabelValues.MaxLabels} labels", nameof(labelNames));
        }

        foreach (var label in labelNames)
        {
            // "le" belongs to histogram buckets; "__" prefixes are reserved for Prometheus itself.
            if (!IsValidName(label, allowColon: false) || label.StartsWith("__", StringComparison.Ordinal) || label == "le")
            {
                throw new ArgumentException($"{name}: '{label}' is not a valid label name", nameof(labelNames));
            }
        }

        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricType Type { get; }

    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Writes HELP, TYPE and every series, or nothing when the family has no series yet.</summary>
    public abstract void Write(ExpositionWriter writer);

    protected LabelValues Key(ReadOnlySpan<string?> values)
    {
        if (values.Length != LabelNames.Count)
        {
            throw new ArgumentException($"{Name} takes {LabelNames.Count} label values, got {values.Length}", nameof(values));
        }

        return new LabelValues(values);
    }

    private static bool IsValidName(string name, bool allowColon)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':')))
            {
                return false;
            }
        }

        return true;
    }
}
