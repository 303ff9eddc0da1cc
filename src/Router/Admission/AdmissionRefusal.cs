namespace GpuRouter.Admission;

/// <summary>Why a gate did not grant a slot; each becomes a 503 with Retry-After upstream.</summary>
public enum AdmissionRefusal
{
    /// <summary>The bounded queue already holds <c>MaxQueue</c> waiters.</summary>
    QueueFull,

    /// <summary>The request waited its whole queue timeout without getting a slot.</summary>
    QueueTimeout,

    /// <summary>The instance is being removed or drained; see <c>InstanceGate.Close</c>.</summary>
    Closed,
}
