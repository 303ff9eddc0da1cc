using Microsoft.AspNetCore.Authorization;

namespace GpuRouter.Security;

/// <summary>The request's client (resolved by <see cref="SecurityMiddleware"/>) holds an admin key.</summary>
internal sealed class AdminKeyRequirement : IAuthorizationRequirement;
