using GpuRouter.Docker;
using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

internal sealed class InstanceOwnerFactory(
    IServiceProvider services, ManagedInstances managed, LifecycleOptions lifecycle, TimeProvider time, ILoggerFactory loggers)
    : IInstanceOwnerFactory
{
    public IInstanceOwner Create(InstanceDefinition definition, IInstanceLoad gate)
    {
        if (definition.Endpoint is not null) return new EndpointInstanceOwner(definition);
        var owner = new ContainerInstanceOwner(
            definition, gate,
            services.GetRequiredService<ContainerStarter>(),
            services.GetRequiredService<GpuPlacement>(),
            services.GetRequiredService<IDockerClient>(),
            lifecycle, time, loggers.CreateLogger($"GpuRouter.Lifecycle.Instance.{definition.Name}"),
            services.GetService<GpuMemoryCheck>(),
            services.GetService<VllmSleepApi>(),
            services.GetService<SleepVerifier>());
        managed.Add(owner);
        return owner;
    }
}
