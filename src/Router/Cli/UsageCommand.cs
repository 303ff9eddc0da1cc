using System.Globalization;
using GpuRouter.Configuration;

namespace GpuRouter.Cli;

/// <summary>
/// <c>gpu-router usage [--by client|model|user] [--since 24h|2026-03-01]</c>: GET /admin/usage
/// with by and since passed on. A router that does not group by itself still sends its totals
/// per client and model; those are summed here by client or by model.
/// </summary>
internal static class UsageCommand
{
    private static readonly string[] Groupings = ["client", "model", "user"];

    public static Task<int> RunAsync(CliCall call)
    {
        var by = call.Option("--by")?.ToLowerInvariant();
        if (by is not null && !Groupings.Contains(by))
            return Task.FromResult(call.UsageError($"--by '{call.Option("--by")}': use client, model or user."));
        DateTimeOffset? since = null;
        if (call.Option("--since") is { } sinceText)
        {
            since = ParseSince(sinceText, call.Context.Time);
            if (since is null) return Task.FromResult(call.UsageError($"--since '{sinceText}' is neither a duration (24h, 7d) nor a date (2026-03-01, 2026-03-01T08:00Z)."));
        }
        var query = new List<string>();
        if (by is not null) query.Add("by=" + by);
        if (since is { } s) query.Add("since=" + Uri.EscapeDataString(s.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        var path = "/admin/usage" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return AdminCommand.RunAsync(call, async admin =>
        {
            var result = await admin.GetAsync(path);
            if (result.Failure is { } failure) return call.Fail(failure);
            if (call.Json)
            {
                call.Out.WriteLine(result.Text);
                return ExitCodes.Ok;
            }
            return UsageTable.Write(call, result.Body, by, since);
        });
    }

    /// <summary>A duration back from now (24h, 7d) or a date or time (local unless it names its offset).</summary>
    private static DateTimeOffset? ParseSince(string text, TimeProvider time)
    {
        if (Duration.TryParse(text, out var back)) return time.GetUtcNow() - back;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed)) return null;
        return parsed.Kind switch
        {
            DateTimeKind.Utc => new DateTimeOffset(parsed, TimeSpan.Zero),
            DateTimeKind.Local => new DateTimeOffset(parsed),
            _ => new DateTimeOffset(parsed, time.LocalTimeZone.GetUtcOffset(parsed)),
        };
    }
}
