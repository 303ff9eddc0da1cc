namespace GpuRouter.Lifecycle;

/// <summary>What the VRAM budget needs to know of an instance, and the one thing it may ask of it.</summary>
internal interface IPlacedInstance
{
    string Name { get; }

    IReadOnlyList<int> Gpus { get; }

    /// <summary>The share of each of its GPUs it reserves (gpuMemoryUtilization).</summary>
    double Share { get; }

    /// <summary>Timestamp of its last request; the least recently used is evicted first.</summary>
    long LastActivity { get; }

    /// <summary>Requests in flight plus queued: shown when nothing can be evicted.</summary>
    int Busy { get; }

    /// <summary>Stops it if, and only if, nothing is in flight or queued; atomically with respect to new requests.</summary>
    Task<bool> TryStopIdleAsync(string reason, CancellationToken ct);
}
