using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    public static IServiceCollection AddLifecycle(this IServiceCollection services, RouterSettings settings)
    {
        services.AddSingleton<ManagedInstances>();
        services.AddSingleton<IInstanceOwnerFactory, InstanceOwnerFactory>();
        if (!settings.Instances.Any(i => i.IsManaged)) return services;

        services.AddDocker(new DockerOptions { Endpoint = settings.Docker.Endpoint });
        services.AddSingleton(new ContainerSpecFactory(settings.Docker, ContainerLabels.OwnerId(settings.StateDir), Environment.GetEnvironmentVariable));
        services.AddSingleton(new PortAllocator(settings.Docker));
        services.AddSingleton<HealthProbe>();
        services.AddSingleton(new HostMemory(settings.Host));
        services.AddSingleton<GpuPlacement>();
        services.AddSingleton<ILeavePlanner>(sp => sp.GetRequiredService<GpuPlacement>());
        services.AddSingleton<VllmSleepApi>();
        services.AddSingleton<SleepVerifier>();
        services.AddSingleton<GpuMemoryCheck>();
        services.AddSingleton<ContainerStarter>();
        services.AddSingleton<IdleSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleSweeper>());
        services.AddHostedService<AdoptionService>();
        services.AddHostedService<DockerEventWatcher>();
        return services;
    }
}
