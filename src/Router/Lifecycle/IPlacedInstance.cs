using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>
/// What the VRAM budget needs to know of an instance, and the two things it may ask of it: the
/// effects of the room-making rule (<see cref="RoomRule"/>), which the owner carries out atomically
/// with respect to new requests.
/// </summary>
internal interface IPlacedInstance
{
    string Name { get; }

    /// <summary>The host its GPUs are on (<c>hosts[].name</c>, or the local one): GPU indices are per host.</summary>
    string Host => HostMemoryOptions.Local;

    IReadOnlyList<int> Gpus { get; }

    /// <summary>The share of each of its GPUs it reserves (gpuMemoryUtilization).</summary>
    double Share { get; }

    /// <summary>Its model's sleep section; null: it is never put to sleep.</summary>
    SleepOptions? Sleep => null;

    /// <summary>It may be put to sleep now: it has a sleep section and was not barred after a sleep that freed nothing.</summary>
    bool CanSleep => Sleep is not null;

    /// <summary>Whether it is settled awake, settled asleep, or in the middle of something.</summary>
    RoomPhase Phase => RoomPhase.Awake;

    /// <summary>Timestamp of its last request; the least recently used is evicted first.</summary>
    long LastActivity { get; }

    /// <summary>Requests in flight plus queued: shown when nothing can be evicted.</summary>
    int Busy { get; }

    /// <summary>Stops it if, and only if, nothing is in flight or queued; atomically with respect to new requests.</summary>
    Task<bool> TryStopIdleAsync(string reason, CancellationToken ct);

    /// <summary>
    /// Puts it to sleep if, and only if, nothing is in flight or queued, holding new requests back for
    /// the whole call. True when its share was freed: it sleeps, or its sleep failed and it was stopped.
    /// </summary>
    Task<bool> TrySleepIdleAsync(string reason, CancellationToken ct) => Task.FromResult(false);
}
