namespace GpuRouter.Admin;

/// <summary>An instance placed on a GPU, as /admin/gpus and /health list it under that GPU.</summary>
/// <param name="ReservedShare">The share of this GPU it holds now: its <paramref name="GpuMemoryUtilization"/> while it runs, its residual share asleep, 0 stopped.</param>
/// <param name="ReservedBytes"><paramref name="ReservedShare"/> of the GPU's memory; null while the GPU's memory is not known.</param>
internal sealed record GpuInstanceView(
    string Name, string Model, string State, double GpuMemoryUtilization, bool Managed, double ReservedShare, long? ReservedBytes);
