using GpuRouter.Instances;

namespace GpuRouter.Lifecycle;

internal sealed class InstanceOwnerFactory(
    IServiceProvider services, ManagedInstances managed, LifecycleOptions lifecycle, TimeProvider time, ILoggerFactory loggers)
    : IInstanceOwnerFactory
{
    public IInstanceOwner Create(InstanceDefinition definition, IInstanceLoad gate)
    {
        if (definition.Endpoint is not null) return new EndpointInstanceOwner(definition);
        // The instance's host engine drives its container; NVML sees the local GPUs only, so the
        // memory check and the sleep check by NVML apply to local instances alone.
        var engine = services.GetRequiredService<HostEngines>().For(definition.Host);
        var owner = new ContainerInstanceOwner(
            definition, gate,
            engine.Starter,
            services.GetRequiredService<GpuPlacement>(),
            engine.Docker,
            lifecycle, time, loggers.CreateLogger($"GpuRouter.Lifecycle.Instance.{definition.Name}"),
            engine.IsLocal ? services.GetService<GpuMemoryCheck>() : null,
            services.GetService<VllmSleepApi>(),
            engine.IsLocal ? services.GetService<SleepVerifier>() : null);
        managed.Add(owner);
        return owner;
    }
}
