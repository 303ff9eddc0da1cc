namespace GpuRouter.Telemetry;

/// <summary>Lock-free arithmetic on a double field, which Interlocked offers only as compare-and-swap.</summary>
internal static class AtomicDouble
{
    public static void Add(ref double target, double value)
    {
        var seen = Volatile.Read(ref target);
        while (true)
        {
            var found = Interlocked.CompareExchange(ref target, seen + value, seen);
            // Compare bits, not values: NaN never equals itself and would spin forever.
            if (BitConverter.DoubleToInt64Bits(found) == BitConverter.DoubleToInt64Bits(seen))
            {
                return;
            }

            seen = found;
        }
    }
}
