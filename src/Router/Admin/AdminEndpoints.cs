using GpuRouter.Http;
using GpuRouter.Security;

namespace GpuRouter.Admin;

/// <summary>
/// The one <c>/admin</c> group, behind the admin-key policy (401 without a key from the security
/// middleware, 403 for a key that is not an admin's). Each feature supplies its view; the group
/// owns the routes, and its own fallback keeps unknown /admin paths behind the policy too.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminKeyPolicy.Name);
        admin.MapInstances();
        admin.MapMode();
        admin.MapGpus();
        admin.MapRecentRequests();
        admin.MapUsage();
        admin.MapFallback("{**path}", HttpEndpoints.NotFound);
        return app;
    }
}
