using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

/// <summary>Stops instances that have been idle (nothing in flight or queued) longer than their model's TTL.</summary>
internal sealed class IdleSweeper(InstanceRegistry registry, TimeProvider time) : BackgroundService
{
    public event Action<string>? Expired;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var managed = registry.All.Where(r => r.Owner is ContainerInstanceOwner).ToList();
        if (managed.Count == 0) return;
        var shortest = managed.Min(r => r.Definition.Model.Ttl);
        var every = TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 250, 15_000));
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await SweepAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass: every Ready instance idle past its TTL is stopped.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        foreach (var runtime in registry.All)
        {
            if (runtime.Owner is not ContainerInstanceOwner owner || owner.State != InstanceState.Ready) continue;
            var ttl = runtime.Definition.Model.Ttl;
            if (!runtime.Load.IsIdle || time.GetElapsedTime(runtime.Load.LastActivity) < ttl) continue;
            if (await owner.TryStopIdleAsync($"idle for longer than its ttl ({Configuration.Duration.Format(ttl)})", ct))
                Expired?.Invoke(runtime.Name);
        }
    }
}
