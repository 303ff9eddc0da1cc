using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace GpuRouter.Security;

/// <summary>
/// A request the admin policy refuses gets the OpenAI-shaped 403 <c>admin_only</c>, counted like
/// the security middleware's refusals; the framework's default would challenge a scheme the
/// router does not have.
/// </summary>
internal sealed class AdminRefusalHandler(RouterMetrics metrics) : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded) return next(context);
        var identity = SecurityMiddleware.Identity(context);
        return Refusals.WriteAsync(context, metrics, Failure.Forbidden(code: "admin_only", "This route needs an admin key."),
            SecurityMiddleware.SourceLabel(identity));
    }
}
