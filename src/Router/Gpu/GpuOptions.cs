namespace GpuRouter.Gpu;

/// <summary>The <c>gpus</c> list: the cards instances are placed on, with their roles.</summary>
public sealed record GpuOptions(IReadOnlyList<GpuDefinition> Gpus);
