namespace GpuRouter.Lifecycle;

/// <summary>One managed instance as the idle sweep sees it.</summary>
/// <param name="IdleFor">Time since its last request; only meaningful when <paramref name="Idle"/>.</param>
/// <param name="SleepAfter">Its model's <c>sleep.after</c> when it can sleep now; null: it never sleeps on its own.</param>
internal sealed record IdleEntry(string Name, RoomPhase Phase, bool Idle, TimeSpan IdleFor, TimeSpan Ttl, TimeSpan? SleepAfter);
