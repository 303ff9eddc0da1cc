using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

/// <summary>
/// Every few seconds, asks <see cref="IdleRule"/> which idle instances are due: past their model's
/// TTL (awake or asleep) they are stopped; past their <c>sleep.after</c> they are put to sleep,
/// within the host's RAM budget.
/// </summary>
internal sealed class IdleSweeper(InstanceRegistry registry, GpuPlacement placement, TimeProvider time) : BackgroundService
{
    public event Action<string>? Expired;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var managed = registry.All.Where(r => r.Owner is ContainerInstanceOwner).ToList();
        if (managed.Count == 0) return;
        var shortest = managed.Min(r => r.Definition.Model.Sleep?.After is { } after && after < r.Definition.Model.Ttl ? after : r.Definition.Model.Ttl);
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

    /// <summary>One pass over every managed instance.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var owners = new Dictionary<string, (ContainerInstanceOwner Owner, IdleEntry Entry)>(StringComparer.Ordinal);
        foreach (var runtime in registry.All)
        {
            if (runtime.Owner is not ContainerInstanceOwner owner) continue;
            IPlacedInstance placed = owner;
            var model = runtime.Definition.Model;
            owners[runtime.Name] = (owner, new IdleEntry(
                runtime.Name, placed.Phase, runtime.Load.IsIdle, time.GetElapsedTime(runtime.Load.LastActivity), model.Ttl,
                placed.CanSleep ? model.Sleep?.After : null));
        }
        foreach (var step in IdleRule.Due(owners.Values.Select(o => o.Entry)))
        {
            var (owner, entry) = owners[step.Instance];
            if (step.Action == RoomAction.Sleep)
            {
                await placement.SleepOnItsOwnAsync(owner, ct);
                continue;
            }
            if (await owner.TryStopIdleAsync(IdleRule.Describe(step, entry), ct)) Expired?.Invoke(step.Instance);
        }
    }
}
