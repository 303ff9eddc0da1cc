using GpuRouter.Retry;

namespace GpuRouter.Lifecycle;

/// <summary>After a failed start the next attempt waits 1 s, 2 s, 4 s ... up to a minute; a success resets it.</summary>
internal static class StartBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    public static Backoff Create(TimeProvider time) => new(First, Max, time);
}
