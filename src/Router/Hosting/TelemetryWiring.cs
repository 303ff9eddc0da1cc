using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Schedule;
using GpuRouter.Security;
using GpuRouter.Telemetry;
using GpuRouter.Usage;

namespace GpuRouter.Hosting;

/// <summary>Connects the router's parts to the metric families: gauges read at scrape time, events counted as they happen.</summary>
internal sealed class TelemetryWiring(
    RouterMetrics metrics, InstanceRegistry registry, IModeState mode, ManagedInstances managed, ClientHolds holds, TokensToday tokens,
    IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveInstances(() => registry.All.Select(r =>
            new InstanceSample(r.Name, r.Owner.State.ToString(), r.Load.InFlight, r.Load.Queued)));
        metrics.ObserveMode(() => mode.Mode.ToString().ToLowerInvariant());
        metrics.ObserveClients(() => holds.Clients.Select(c => new ClientSample(c, holds.Held(c), tokens.Read(c))));
        foreach (var owner in managed.All)
        {
            owner.ColdStarted += metrics.RecordColdStart;
            owner.Restarted += metrics.RecordRestart;
            owner.Woke += metrics.RecordWake;
            owner.Slept += metrics.RecordSleep;
        }
        if (services.GetService<GpuPlacement>() is { } placement)
        {
            placement.Evicted += metrics.RecordEviction;
            metrics.ObserveHostMemorySleeping(placement.SleepingHostBytes);
        }
        if (services.GetService<IdleSweeper>() is { } sweeper) sweeper.Expired += name => metrics.RecordEviction(name, "ttl");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
