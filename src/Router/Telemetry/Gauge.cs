namespace GpuRouter.Telemetry;

/// <summary>One gauge series: a value that is set, or moved up and down.</summary>
internal sealed class Gauge
{
    private double value;

    public double Value => Volatile.Read(ref value);

    public void Set(double newValue) => Volatile.Write(ref value, newValue);

    public void Inc(double amount = 1) => AtomicDouble.Add(ref value, amount);

    public void Dec(double amount = 1) => AtomicDouble.Add(ref value, -amount);
}
