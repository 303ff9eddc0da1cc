using GpuRouter.Instances;

namespace GpuRouter.Schedule;

/// <summary>The mode the router serves now. Owned by the mode controller; read by routing.</summary>
public interface IModeState
{
    ModelMode Mode { get; }

    /// <summary>When the mode next changes on its own (null with an override, or no schedule).</summary>
    DateTimeOffset? NextSwitch { get; }

    /// <summary>An operator's override holds the mode (day or night) instead of the schedule.</summary>
    bool IsHeld { get; }
}
