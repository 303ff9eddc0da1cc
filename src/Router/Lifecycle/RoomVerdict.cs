namespace GpuRouter.Lifecycle;

internal enum RoomVerdict
{
    /// <summary>The share fits now: reserve it.</summary>
    Fits,

    /// <summary>Do the steps in order, then decide again.</summary>
    MakeRoom,

    /// <summary>Even with every idle holder gone it would not fit: wait for the busy ones.</summary>
    Wait,
}
