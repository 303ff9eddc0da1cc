namespace GpuRouter.Instances;

/// <summary>How a leave ended.</summary>
public enum LeaveOutcome
{
    /// <summary>Its container is gone (or it had none, or the router does not own it).</summary>
    Stopped,

    /// <summary>It sleeps: its GPU holds only the residual share.</summary>
    Slept,
}
