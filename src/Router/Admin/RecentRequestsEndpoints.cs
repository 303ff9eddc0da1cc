using System.Globalization;
using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Timeline;

namespace GpuRouter.Admin;

/// <summary>GET /admin/requests?limit=N: the last finished requests, newest first (in the admin group, behind its policy).</summary>
internal static class RecentRequestsEndpoints
{
    private const int DefaultLimit = 50;

    public static RouteGroupBuilder MapRecentRequests(this RouteGroupBuilder admin)
    {
        admin.MapGet("/requests", (HttpContext context, RecentRequests recent) =>
        {
            var limit = DefaultLimit;
            var raw = context.Request.Query["limit"];
            if (raw.Count > 0 && !(raw.Count == 1 && int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1))
            {
                return ErrorResults.WriteAsync(context, Failure.InvalidRequest(
                    $"'limit' must be a whole number from 1 (at most {recent.Capacity} are kept).", "limit"));
            }
            return context.Response.WriteAsJsonAsync(new
            {
                capacity = recent.Capacity,
                total = recent.Total,
                requests = recent.Latest(Math.Min(limit, recent.Capacity)),
            });
        });
        return admin;
    }
}
