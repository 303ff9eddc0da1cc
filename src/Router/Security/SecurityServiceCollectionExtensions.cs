using Microsoft.AspNetCore.Authorization;

namespace GpuRouter.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IReadOnlyList<ClientDefinition> clients)
    {
        services.AddSingleton(clients);
        services.AddSingleton(new ClientRegistry(clients));
        services.AddSingleton(new ClientRateLimiter(clients));
        services.AddSingleton(new ClientHolds(clients));
        services.AddSingleton<ProbeKey>();
        services.AddAuthorization(AdminKeyPolicy.Add);
        services.AddSingleton<IAuthorizationHandler, AdminKeyHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminRefusalHandler>();
        return services;
    }
}
