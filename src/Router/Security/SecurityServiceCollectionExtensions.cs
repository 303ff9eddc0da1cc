using GpuRouter.Configuration;
using Microsoft.AspNetCore.Authorization;

namespace GpuRouter.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, RouterSettings settings)
    {
        services.AddSingleton(new ClientRegistry(settings.Clients));
        services.AddSingleton(new ClientRateLimiter(settings.Clients));
        services.AddSingleton(new ClientHolds(settings.Clients));
        services.AddSingleton<ProbeKey>();
        services.AddAuthorization(AdminKeyPolicy.Add);
        services.AddSingleton<IAuthorizationHandler, AdminKeyHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminRefusalHandler>();
        return services;
    }
}
