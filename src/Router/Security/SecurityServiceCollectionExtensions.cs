using GpuRouter.Configuration;

namespace GpuRouter.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, RouterSettings settings)
    {
        services.AddSingleton(new ClientRegistry(settings.Clients));
        services.AddSingleton(new ClientRateLimiter(settings.Clients));
        services.AddSingleton<ProbeKey>();
        return services;
    }
}
