namespace GpuRouter.Lifecycle;

/// <summary>
/// One instance holding a GPU reservation, as the room-making rule sees it. Shares are thousandths.
/// </summary>
/// <param name="HoldsResidual">Reserved at its residual share (asleep) rather than its full share.</param>
/// <param name="Idle">Nothing in flight or queued.</param>
/// <param name="LastActivity">Timestamp of its last request: the least recently used goes first.</param>
/// <param name="CanSleep">Has <c>sleep:</c> and was not barred from sleeping (a sleep that freed nothing).</param>
/// <param name="HostMemory">Host RAM its weights take while asleep (level 1; 0 at level 2).</param>
/// <param name="InHostMemory">Its weights are in host RAM now: falling asleep, asleep or waking, at level 1.</param>
internal sealed record RoomEntry(
    string Name, IReadOnlyList<GpuKey> Gpus, int Share, int Residual, bool HoldsResidual, RoomPhase Phase, bool Idle,
    long LastActivity, bool CanSleep, long HostMemory, bool InHostMemory)
{
    public int Held => HoldsResidual ? Residual : Share;

    public string Host => Gpus.Count > 0 ? Gpus[0].Host : Configuration.HostMemoryOptions.Local;

    /// <summary>Idle and settled: the rule may act on it.</summary>
    public bool Movable => Idle && Phase != RoomPhase.Busy;
}
