using GpuRouter.Instances;

namespace GpuRouter.Routing;

public static class RoutingServiceCollectionExtensions
{
    public static IServiceCollection AddModelRouting(this IServiceCollection services)
    {
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<InstanceRegistry>();
        services.AddSingleton<InstanceSelector>();
        return services;
    }
}
