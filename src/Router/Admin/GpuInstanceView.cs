namespace GpuRouter.Admin;

/// <summary>An instance placed on a GPU, as /admin/gpus and /health list it under that GPU.</summary>
internal sealed record GpuInstanceView(string Name, string Model, string State, double GpuMemoryUtilization, bool Managed);
