namespace GpuRouter.Telemetry;

/// <summary>
/// One histogram series. Counts are kept per bucket (not cumulative) so an observation touches
/// one slot; the exposition adds them up. The count is the sum of the buckets, so +Inf and
/// _count always agree even while observations race a scrape.
/// </summary>
internal sealed class Histogram(double[] upperBounds)
{
    // One slot per bound plus the +Inf slot.
    private readonly long[] counts = new long[upperBounds.Length + 1];
    private double sum;

    public double Sum => Volatile.Read(ref sum);

    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        // Buckets are "less than or equal": an exact hit lands in that bucket, else the next one up.
        var index = Array.BinarySearch(upperBounds, value);
        Interlocked.Increment(ref counts[index >= 0 ? index : ~index]);
        AtomicDouble.Add(ref sum, value);
    }

    /// <summary>Copies the per-bucket counts (length: bounds + 1) for a scrape.</summary>
    public void CopyCounts(Span<long> destination)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            destination[i] = Volatile.Read(ref counts[i]);
        }
    }
}
