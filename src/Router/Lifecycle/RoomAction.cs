namespace GpuRouter.Lifecycle;

/// <summary>What the room-making rule asks of an instance.</summary>
internal enum RoomAction { Sleep, Stop }
