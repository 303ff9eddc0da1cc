using GpuRouter.Instances;

namespace GpuRouter.Admission;

public static class AdmissionServiceCollectionExtensions
{
    /// <summary>The gates, one per instance; the registry takes them as the instances' load.</summary>
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddSingleton<InstanceGates>();
        services.AddSingleton<IInstanceLoads>(sp => sp.GetRequiredService<InstanceGates>());
        return services;
    }
}
