using System.Globalization;
using Docker.DotNet.Models;
using GpuRouter.Docker;

namespace GpuRouter.Lifecycle;

/// <summary>
/// At start-up, takes over the containers a previous router left running: same spec, adopted
/// without a restart; changed spec or exited, removed (a changed one is recreated on demand);
/// not in the config any more (or now on another host), removed. One runs per engine. The local
/// engine's holds /ready at 503 until it is done; a remote host's never gates /ready (an
/// unreachable host must not get the router restarted): it retries until that engine answers,
/// and its instances are unavailable meanwhile.
/// </summary>
internal sealed partial class AdoptionService(
    HostEngine engine, ManagedInstances managed, IReadinessConditions readiness, TimeProvider time,
    ILogger<AdoptionService> logger) : BackgroundService
{
    public const string Condition = "adoption";
    private readonly IDockerClient docker = engine.Docker;
    private readonly ContainerSpecFactory specs = engine.Specs;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (engine.IsLocal)
        {
            readiness.Require(Condition, "adopting running model containers");
            readiness.Require(DockerEventWatcher.Condition, "waiting for Docker to answer");
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var waitLogged = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await AdoptAllAsync(stoppingToken);
                if (engine.IsLocal) readiness.Met(Condition);
                return;
            }
            catch (Exception e) when (e is DockerUnavailableException or DockerApiException)
            {
                if (engine.IsLocal) readiness.Require(Condition, $"adoption waits for Docker: {e.Message}");
                else if (!waitLogged)
                {
                    waitLogged = true;
                    LogWaiting(logger, engine.Name, e.Message);
                }
                await Task.Delay(engine.IsLocal ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    private async Task AdoptAllAsync(CancellationToken ct)
    {
        var labels = new Dictionary<string, string?> { [ContainerLabels.Managed] = "true", [ContainerLabels.Owner] = specs.OwnerId };
        var containers = await docker.ListContainersAsync(labels, all: true, ct);
        var adoptions = new List<Task>();
        foreach (var c in containers)
        {
            var name = ContainerLabels.Get(c.Labels, ContainerLabels.Instance);
            var owner = name is null ? null : managed.Find(name);
            if (owner is null || !engine.Runs(owner))
            {
                LogRemoved(logger, name ?? c.ID[..12], owner is null ? "not in the config" : $"it lives on another host now, not on {engine.Name}");
                await docker.RemoveContainerAsync(c.ID, force: true, ignoreMissing: true, ct);
                continue;
            }
            var adoptable = c.State == "running" && SameSpec(owner, c);
            if (adoptable) LogAdopted(logger, owner.Definition.Name, c.ID[..12]);
            else LogRemoved(logger, owner.Definition.Name, c.State != "running" ? $"state {c.State}" : "its spec changed");
            adoptions.Add(owner.AdoptOrDiscardAsync(c.ID, adoptable, ct));
        }
        await Task.WhenAll(adoptions);
    }

    private bool SameSpec(ContainerInstanceOwner owner, ContainerListResponse c)
    {
        int? port = int.TryParse(ContainerLabels.Get(c.Labels, ContainerLabels.Port), CultureInfo.InvariantCulture, out var p) ? p : null;
        if (specs.NeedsPort && port is null) return false;
        return specs.Create(owner.Definition, port).SpecHash == ContainerLabels.Get(c.Labels, ContainerLabels.SpecHash);
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Adopting running container {Container} as {Instance}")]
    private static partial void LogAdopted(ILogger logger, string instance, string container);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Adoption on host {Host} waits for its Docker engine: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Removing container of {Instance}: {Why}")]
    private static partial void LogRemoved(ILogger logger, string instance, string why);
}
