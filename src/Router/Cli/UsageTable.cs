using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>GET /admin/usage as tables: the totals per client and model, or grouped; then PostgreSQL's state.</summary>
internal static class UsageTable
{
    private static readonly string[] Counts = ["requests", "errors", "promptTokens", "completionTokens"];

    public static int Write(CliCall call, JsonElement usage, string? by, DateTimeOffset? since)
    {
        var rows = by is null ? null : Grouped(usage, by);
        if (by is not null && rows is null)
        {
            if (by == "user") return call.Fail(new CliFailure(ExitCodes.Failed, "this router does not report usage by user: upgrade it."));
            rows = Sum(usage.Items("totals"), by);
        }
        var output = call.Out;
        var time = call.Context.Time;
        var counted = usage.Time("since");
        if (counted is { } from) output.WriteLine($"since {TimeText.Local(from, time)} ({TimeText.Ago(from, time)})");
        if (since is { } asked && counted is { } actual && actual < asked - TimeSpan.FromSeconds(1))
            output.WriteLine("note: this router counts since its start, not since --since (its totals are in memory).");
        var table = rows is null ? Totals(usage.Items("totals")) : Table(by!, rows);
        table.WriteTo(output);
        if (table.Count == 0) output.WriteLine("(no requests yet)");
        output.WriteLine(Postgres(usage.Field("postgres")));
        return ExitCodes.Ok;
    }

    private static TextTable Totals(IEnumerable<JsonElement> totals)
    {
        var table = new TextTable("CLIENT", "MODEL", "REQUESTS", "ERRORS", "PROMPT TOKENS", "COMPLETION TOKENS");
        foreach (var t in totals)
            table.Add([Json.Show(t.Text("client")), Json.Show(t.Text("model")), .. Counts.Select(c => Json.Show(t.Integer(c)))]);
        return table;
    }

    private static TextTable Table(string by, IEnumerable<(string Key, long[] Counts)> rows)
    {
        var table = new TextTable(by.ToUpperInvariant(), "REQUESTS", "ERRORS", "PROMPT TOKENS", "COMPLETION TOKENS");
        foreach (var (key, counts) in rows) table.Add([key, .. counts.Select(c => Json.Show(c))]);
        return table;
    }

    // Rows a router grouped itself: any list besides "totals" whose rows carry the grouping's field.
    private static List<(string, long[])>? Grouped(JsonElement usage, string by)
    {
        if (usage.ValueKind != JsonValueKind.Object) return null;
        // A router that groups says so ("by") and sends its "rows", empty ones too (no user yet).
        if (usage.Text("by") == by && usage.Field("rows") is { ValueKind: JsonValueKind.Array } rows)
            return [.. rows.EnumerateArray().Select(i => Row(i.Text(by) ?? "", i))];
        foreach (var property in usage.EnumerateObject())
        {
            if (property.Name == "totals" || property.Value.ValueKind != JsonValueKind.Array) continue;
            var items = property.Value.EnumerateArray().ToList();
            if (items.Count > 0 && items.All(i => i.Field(by) is not null && i.Field("requests") is not null)) return [.. items.Select(i => Row(i.Text(by)!, i))];
        }
        return null;
    }

    private static List<(string, long[])> Sum(IEnumerable<JsonElement> totals, string by) =>
    [
        .. totals.GroupBy(t => Json.Show(t.Text(by)), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Counts.Select(c => g.Sum(t => t.Integer(c) ?? 0)).ToArray())),
    ];

    private static (string, long[]) Row(string key, JsonElement row) => (key, [.. Counts.Select(c => row.Integer(c) ?? 0)]);

    private static string Postgres(JsonElement? postgres)
    {
        if (postgres is not { } p) return "postgres: not configured (usage.postgres): these totals are in memory, since the router started.";
        var state = p.Field("connected") is { ValueKind: JsonValueKind.True } ? "connected" : "not connected";
        var text = $"postgres: {state}, {Json.Show(p.Integer("written"))} written, {Json.Show(p.Integer("buffered"))} buffered, {Json.Show(p.Integer("dropped"))} dropped";
        return p.Text("lastError") is { } error ? $"{text}; last error: {error}" : text;
    }
}
