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

/// <summary>The room-making rule's answer; <see cref="Holders"/> names who holds the GPUs when it must wait.</summary>
internal sealed record RoomPlan(RoomVerdict Verdict, IReadOnlyList<RoomStep> Steps, IReadOnlyList<RoomEntry> Holders)
{
    public static RoomPlan Fit { get; } = new(RoomVerdict.Fits, [], []);
}
