using GpuRouter.Failures;

namespace GpuRouter.Lifecycle;

/// <summary>How a container start ended: where it answers, or why it never will.</summary>
internal readonly record struct StartOutcome(Uri? Address, string? ContainerId, Failure? Error, bool OutOfMemory)
{
    public static StartOutcome Fail(Failure error, string? containerId = null, bool oom = false) => new(null, containerId, error, oom);
}
