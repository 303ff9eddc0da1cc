namespace GpuRouter.Lifecycle;

/// <summary>Where an instance holding a GPU reservation stands, as the room-making rule needs to know it.</summary>
internal enum RoomPhase
{
    /// <summary>Ready, nothing under way: it may be put to sleep or stopped when idle.</summary>
    Awake,

    /// <summary>Asleep, nothing under way: it may be stopped when idle.</summary>
    Asleep,

    /// <summary>Starting, falling asleep, waking or stopping: not to be touched; room waits for it.</summary>
    Busy,
}
