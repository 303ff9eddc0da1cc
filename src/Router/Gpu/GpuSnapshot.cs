namespace GpuRouter.Gpu;

/// <summary>One immutable reading of every GPU, taken at one time.</summary>
public sealed record GpuSnapshot(DateTimeOffset TakenAt, IReadOnlyList<GpuReading> Gpus)
{
    /// <summary>What telemetry reports when it is off or has not read yet.</summary>
    public static GpuSnapshot Empty { get; } = new(DateTimeOffset.MinValue, []);
}
