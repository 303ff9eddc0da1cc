namespace GpuRouter.Lifecycle;

/// <summary>One thing to do to make room, in order.</summary>
/// <param name="Reason">A short fixed word for metrics: <c>vram</c> (GPU room) or <c>host_memory</c> (the RAM budget).</param>
internal sealed record RoomStep(string Instance, RoomAction Action, string Reason);
