using System.Globalization;
using GpuRouter.Configuration;
using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Security;
using GpuRouter.Usage;

namespace GpuRouter.Admin;

/// <summary>
/// GET /admin/usage[?by=client|model|user][&amp;since=...]: Usage's totals or grouped rows, and each
/// configured client's limits beside what it holds and used today.
/// </summary>
internal static class UsageEndpoints
{
    private static readonly string[] Groupings = ["client", "model", "user"];

    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder admin)
    {
        admin.MapGet("/usage", async (HttpContext context, IReadOnlyList<ClientDefinition> clients, ClientHolds holds, TimeProvider time) =>
        {
            var query = context.Request.Query;
            if (!TryGrouping(query.ContainsKey("by") ? query["by"].ToString() : null, out var by))
            {
                await ErrorResults.WriteAsync(context, Failure.InvalidRequest(
                    $"by='{Shown(query["by"].ToString())}' is not one of {string.Join(", ", Groupings)}.", "by", code: "invalid_value"));
                return;
            }
            if (!TrySince(query.ContainsKey("since") ? query["since"].ToString() : null, time, out var since))
            {
                await ErrorResults.WriteAsync(context, Failure.InvalidRequest(
                    $"since='{Shown(query["since"].ToString())}' is neither a time (2026-03-01, 2026-03-01T08:00:00Z) nor a duration back from now (24h, 7d).",
                    "since", code: "invalid_value"));
                return;
            }
            var view = await UsageView.FromAsync(context.RequestServices, by, since, context.RequestAborted);
            var tokens = context.RequestServices.GetRequiredService<TokensToday>();
            view["clients"] = clients.Select(c => new
            {
                client = c.Name,
                held = holds.Held(c.Name),
                maxConcurrent = c.MaxConcurrent,
                tokensToday = tokens.Read(c.Name),
                tokensPerDay = c.TokensPerDay,
                models = c.Models,
                trustUserHeaders = c.TrustUserHeaders,
            }).ToList();
            await context.Response.WriteAsJsonAsync(view, context.RequestAborted);
        });
        return admin;
    }

    /// <param name="text">null: none asked; anything else must be a grouping (an empty by= is a mistake).</param>
    private static bool TryGrouping(string? text, out UsageGrouping? by)
    {
        by = text switch
        {
            "client" => UsageGrouping.Client,
            "model" => UsageGrouping.Model,
            "user" => UsageGrouping.User,
            _ => null,
        };
        return by is not null || text is null;
    }

    /// <summary>A time (UTC unless it names its offset) or a duration back from now; null: none asked.</summary>
    private static bool TrySince(string? text, TimeProvider time, out DateTimeOffset? since)
    {
        since = null;
        if (text is null) return true;
        if (Duration.TryParse(text, out var back))
        {
            since = time.GetUtcNow() - back;
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at))
            return false;
        since = at;
        return true;
    }

    // A query value goes into the message as data, bounded.
    private static string Shown(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
