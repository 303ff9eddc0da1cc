namespace GpuRouter.Instances;

/// <summary>
/// How an instance leaves: drained (in flight and queued finish, up to <paramref name="DrainTimeout"/>),
/// then stopped, or put to sleep where <paramref name="MaySleep"/> allows it.
/// </summary>
/// <param name="Drained">Called once the drain has ended (idle, or its timeout passed): the switch reports the phase.</param>
public sealed record LeaveRequest(string Reason, TimeSpan DrainTimeout, bool MaySleep = false, Action? Drained = null);
