using Microsoft.AspNetCore.Authorization;

namespace GpuRouter.Security;

/// <summary>The authorization policy of the /admin group: an admin's key (or no keys configured at all).</summary>
public static class AdminKeyPolicy
{
    public const string Name = "admin-key";

    internal static void Add(AuthorizationOptions options) =>
        options.AddPolicy(Name, policy => policy.AddRequirements(new AdminKeyRequirement()));
}
