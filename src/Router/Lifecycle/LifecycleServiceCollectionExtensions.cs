using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    public static IServiceCollection AddLifecycle(this IServiceCollection services, ModelsOptions models, LifecycleOptions lifecycle, DockerOptions docker, HostMemoryOptions host)
    {
        services.AddSingleton<ManagedInstances>();
        services.AddSingleton<IInstanceOwnerFactory, InstanceOwnerFactory>();
        if (!models.Instances.Any(i => i.IsManaged)) return services;

        services.AddDocker(docker);
        services.AddSingleton(new ContainerSpecFactory(docker, ContainerLabels.OwnerId(lifecycle.StateDir), Environment.GetEnvironmentVariable));
        services.AddSingleton(new PortAllocator(docker));
        services.AddSingleton<HealthProbe>();
        services.AddSingleton(new HostMemory(host));
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
