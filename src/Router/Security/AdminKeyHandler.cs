using Microsoft.AspNetCore.Authorization;

namespace GpuRouter.Security;

/// <summary>Grants <see cref="AdminKeyRequirement"/> to an admin's key, and to everyone when no keys are configured.</summary>
internal sealed class AdminKeyHandler(ClientRegistry clients) : AuthorizationHandler<AdminKeyRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminKeyRequirement requirement)
    {
        if (clients.IsOpen || context.Resource is HttpContext http && SecurityMiddleware.Identity(http).Admin)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
