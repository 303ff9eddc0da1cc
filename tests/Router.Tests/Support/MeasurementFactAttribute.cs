namespace Router.Tests;

/// <summary>
/// A measurement, not a test: it prints numbers and asserts only that the requests succeeded. It
/// runs when GPU_ROUTER_MEASURE=1 (its script sets it) and is skipped in the suite, which must
/// never depend on timings.
/// </summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("GPU_ROUTER_MEASURE") != "1") Skip = "a measurement: run it with its script (GPU_ROUTER_MEASURE=1)";
    }
}
