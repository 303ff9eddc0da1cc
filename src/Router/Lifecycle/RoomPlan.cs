namespace GpuRouter.Lifecycle;

/// <summary>The room-making rule's answer; <see cref="Holders"/> names who holds the GPUs when it must wait.</summary>
internal sealed record RoomPlan(RoomVerdict Verdict, IReadOnlyList<RoomStep> Steps, IReadOnlyList<RoomEntry> Holders)
{
    public static RoomPlan Fit { get; } = new(RoomVerdict.Fits, [], []);
}
