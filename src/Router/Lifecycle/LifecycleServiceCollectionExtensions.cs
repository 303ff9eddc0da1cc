using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Hosts;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    public static IServiceCollection AddLifecycle(
        this IServiceCollection services, ModelsOptions models, LifecycleOptions lifecycle, DockerOptions docker, HostMemoryOptions host,
        HostsOptions? hosts = null)
    {
        hosts ??= HostsOptions.None;
        services.AddSingleton<ManagedInstances>();
        services.AddSingleton<IInstanceOwnerFactory, InstanceOwnerFactory>();
        if (!models.Instances.Any(i => i.IsManaged)) return services;

        var ownerId = ContainerLabels.OwnerId(lifecycle.StateDir);
        services.AddDocker(docker);
        services.AddSingleton(new ContainerSpecFactory(docker, ownerId, Environment.GetEnvironmentVariable));
        services.AddSingleton(new PortAllocator(docker));
        services.AddSingleton<IHostPorts>(sp => sp.GetRequiredService<PortAllocator>());
        services.AddSingleton<HealthProbe>();
        services.AddSingleton(new HostMemory(host));
        services.AddSingleton(new RemoteBudgets(hosts));
        services.AddSingleton<GpuPlacement>();
        services.AddSingleton<ILeavePlanner>(sp => sp.GetRequiredService<GpuPlacement>());
        services.AddSingleton<VllmSleepApi>();
        services.AddSingleton<SleepVerifier>();
        services.AddSingleton<GpuMemoryCheck>();
        services.AddSingleton<ContainerStarter>();
        services.AddSingleton(new BackendKeys(lifecycle.StateDir));
        services.AddSingleton(sp => new HostEngines(
        [
            new HostEngine(sp.GetRequiredService<IDockerClient>(), sp.GetRequiredService<ContainerSpecFactory>(), sp.GetRequiredService<ContainerStarter>()),
            .. hosts.Hosts.Select((h, i) => RemoteEngine(sp, h, $"hosts[{i}]", docker, ownerId)),
        ]));
        services.AddSingleton<IdleSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleSweeper>());
        // One adoption and one events watcher per engine. Registered as IHostedService directly:
        // AddHostedService would keep only the first of several factories of one type.
        var names = (IEnumerable<string?>)[null, .. hosts.Hosts.Select(h => h.Name)];
        foreach (var name in names)
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<AdoptionService>(sp, sp.GetRequiredService<HostEngines>().For(name)));
        foreach (var name in names)
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<DockerEventWatcher>(sp, sp.GetRequiredService<HostEngines>().For(name)));
        return services;
    }

    // TLS files were checked at start-up (RemoteEnginesCheck); here they are read for the client.
    private static HostEngine RemoteEngine(IServiceProvider sp, GpuHostOptions h, string key, DockerOptions local, string ownerId)
    {
        var time = sp.GetRequiredService<TimeProvider>();
        var client = RemoteDocker.Connect(h.Engine(key, local), time, sp.GetRequiredService<ILogger<DockerEngineClient>>());
        var options = new DockerOptions
        {
            Endpoint = h.Docker, Network = h.Network, PortFirst = h.PortFirst, PortLast = h.PortLast, NvidiaGpus = h.NvidiaGpus,
            HfCache = h.HfCache, VllmCache = h.VllmCache,
            RequestTimeout = local.RequestTimeout, ConnectTimeout = local.ConnectTimeout, StopTimeoutMargin = local.StopTimeoutMargin,
        };
        var specs = new ContainerSpecFactory(options, ownerId, Environment.GetEnvironmentVariable, ContainerSite.Of(h), sp.GetRequiredService<BackendKeys>());
        var starter = new ContainerStarter(client, specs, new RemotePortAllocator(client, h), sp.GetRequiredService<HealthProbe>(),
            sp.GetRequiredService<LifecycleOptions>(), time, sp.GetRequiredService<ILogger<ContainerStarter>>());
        return new HostEngine(client, specs, starter);
    }
}
