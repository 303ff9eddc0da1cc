namespace GpuRouter.Telemetry;

/// <summary>
/// The values of one label set, in the family's label order: the key of a family's children.
/// A struct with inline storage so that finding an existing child allocates nothing.
/// </summary>
internal readonly struct LabelValues : IEquatable<LabelValues>, IComparable<LabelValues>
{
    /// <summary>The most labels a family may have; the router's widest family has five.</summary>
    public const int MaxLabels = 6;

    private readonly LabelValueArray values;

    public LabelValues(ReadOnlySpan<string?> source)
    {
        if (source.Length > MaxLabels)
        {
            throw new ArgumentException($"at most {MaxLabels} label values", nameof(source));
        }

        Count = source.Length;
        for (var i = 0; i < source.Length; i++)
        {
            // Prometheus treats an empty value as an absent label, which is what null means here.
            values[i] = source[i] ?? string.Empty;
        }
    }

    public int Count { get; }

    public string this[int index] => values[index];

    public bool Equals(LabelValues other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!string.Equals(values[i], other.values[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is LabelValues other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        for (var i = 0; i < Count; i++)
        {
            hash.Add(values[i], StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Ordinal, value by value: the order children appear in the exposition.</summary>
    public int CompareTo(LabelValues other)
    {
        for (var i = 0; i < Math.Min(Count, other.Count); i++)
        {
            var order = string.CompareOrdinal(values[i], other.values[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return Count.CompareTo(other.Count);
    }

    public static bool operator ==(LabelValues left, LabelValues right) => left.Equals(right);

    public static bool operator !=(LabelValues left, LabelValues right) => !left.Equals(right);

    public static bool operator <(LabelValues left, LabelValues right) => left.CompareTo(right) < 0;

    public static bool operator >(LabelValues left, LabelValues right) => left.CompareTo(right) > 0;

    public static bool operator <=(LabelValues left, LabelValues right) => left.CompareTo(right) <= 0;

    public static bool operator >=(LabelValues left, LabelValues right) => left.CompareTo(right) >= 0;
}
