using System.Globalization;
using Docker.DotNet.Models;
using GpuRouter.Docker;

namespace GpuRouter.Lifecycle;

/// <summary>
/// At start-up, takes over the containers a previous router left running: same spec, adopted
/// without a restart; changed spec or exited, removed (a changed one is recreated on demand);
/// not in the config any more, removed. /ready stays 503 until this is done.
/// </summary>
internal sealed partial class AdoptionService(
    IDockerClient docker, ManagedInstances managed, ContainerSpecFactory specs, IReadinessConditions readiness, TimeProvider time,
    ILogger<AdoptionService> logger) : BackgroundService
{
    public const string Condition = "adoption";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        readiness.Require(Condition, "adopting running model containers");
        readiness.Require(DockerEventWatcher.Condition, "waiting for Docker to answer");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await AdoptAllAsync(stoppingToken);
                readiness.Met(Condition);
                return;
            }
            catch (Exception e) when (e is DockerUnavailableException or DockerApiException)
            {
                readiness.Require(Condition, $"adoption waits for Docker: {e.Message}");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
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
            if (owner is null)
            {
                LogRemoved(logger, name ?? c.ID[..12], "not in the config");
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

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Removing container of {Instance}: {Why}")]
    private static partial void LogRemoved(ILogger logger, string instance, string why);
}
