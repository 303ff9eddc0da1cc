namespace GpuRouter.Instances;

/// <summary>
/// An instance's lifecycle state. New states go at the end: metrics, logs and scripts know the
/// others by name, and the numbers stay what they were.
/// </summary>
public enum InstanceState
{
    Stopped,
    Starting,
    Loading,
    Ready,
    Draining,
    Stopping,
    Failed,

    /// <summary>Falling asleep or asleep (vLLM's sleep mode): nothing is forwarded to it; a request wakes it.</summary>
    Sleeping,

    /// <summary>Being woken for the requests that wait for it.</summary>
    Waking,
}
