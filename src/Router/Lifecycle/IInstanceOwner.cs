using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>
/// The one owner of an instance's lifecycle. Callers never read the state and then act on it:
/// they ask the owner for a ready backend, and the owner decides inside itself whether to
/// start, wait or answer at once.
/// </summary>
public interface IInstanceOwner
{
    InstanceDefinition Definition { get; }

    InstanceState State { get; }

    /// <summary>Resolves when the backend answers; reports progress while a start is under way.</summary>
    ValueTask<ReadyResult> EnsureReadyAsync(IProgress<StartProgress>? progress, CancellationToken cancellationToken);

    /// <summary>A forward could not connect: the owner checks whether its backend is still there.</summary>
    void ReportUnreachable();
}
