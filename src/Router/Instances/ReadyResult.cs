using GpuRouter.Failures;

namespace GpuRouter.Instances;

/// <summary>Where to send the request, or why there is nowhere to send it.</summary>
/// <param name="Woke">The backend was asleep and was woken (not cold-started) for this wait.</param>
public readonly record struct ReadyResult(Uri? BaseAddress, TimeSpan? ColdStart, Failure? Error, bool Woke = false)
{
    public static ReadyResult Ready(Uri address, TimeSpan? coldStart = null) => new(address, coldStart, null);

    public static ReadyResult Fail(Failure error) => new(null, null, error);
}
