namespace GpuRouter.Lifecycle;

/// <summary>An instance that needs its full share (thousandths) on its GPUs: a start, or a wake.</summary>
internal sealed record RoomRequest(string Name, IReadOnlyList<GpuKey> Gpus, int Share);
