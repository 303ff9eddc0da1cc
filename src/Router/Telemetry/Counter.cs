namespace GpuRouter.Telemetry;

/// <summary>One counter series: only ever goes up.</summary>
internal sealed class Counter
{
    private double value;

    public double Value => Volatile.Read(ref value);

    public void Inc() => AtomicDouble.Add(ref value, 1);

    public void Inc(double amount)
    {
        // A negative increment would break rate(); it is a caller's bug, not a value to record.
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        AtomicDouble.Add(ref value, amount);
    }
}
