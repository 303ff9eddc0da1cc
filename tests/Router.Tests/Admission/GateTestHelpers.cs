using GpuRouter.Admission;
using AdmissionResult = GpuRouter.Admission.Admission;

namespace Router.Tests.Admission;

/// <summary>
/// Shorthands for the gate tests. Tasks rather than ValueTasks so that a test may look at a
/// pending acquisition (IsCompleted) and await it later.
/// </summary>
internal static class GateTestHelpers
{
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static Task<AdmissionResult> Acquire(
        InstanceGate gate,
        RequestPriority priority = RequestPriority.Interactive,
        TimeSpan? timeout = null,
        CancellationToken ct = default) =>
        gate.AcquireAsync(priority, timeout ?? Minute, ct).AsTask();

    public static async Task<AdmissionResult> Grant(InstanceGate gate)
    {
        var admission = await gate.AcquireAsync(RequestPriority.Interactive, Minute, CancellationToken.None);
        Assert.True(admission.IsGranted);
        return admission;
    }
}
