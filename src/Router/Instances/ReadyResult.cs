using GpuRouter.Failures;

namespace GpuRouter.Instances;

/// <summary>Where to send the request, or why there is nowhere to send it.</summary>
/// <param name="Woke">The backend was asleep and was woken (not cold-started) for this wait.</param>
/// <param name="BackendKey">The backend's own API key (a container on another host), sent as <c>Authorization: Bearer</c>; never logged.</param>
public readonly record struct ReadyResult(Uri? BaseAddress, TimeSpan? ColdStart, Failure? Error, bool Woke = false, string? BackendKey = null)
{
    public static ReadyResult Ready(Uri address, TimeSpan? coldStart = null) => new(address, coldStart, null);

    public static ReadyResult Fail(Failure error) => new(null, null, error);
}
