using System.Net.Http.Json;
using System.Text.Json;

namespace Router.Tests.Clients;

/// <summary>A client's row of GET /admin/usage's "clients" list, and its two gauges on /metrics.</summary>
internal static class ClientState
{
    public static async Task<JsonElement> RowAsync(RouterFactory router, string client)
    {
        using var admin = router.Client(TestKeys.Admin);
        var usage = await admin.GetFromJsonAsync<JsonElement>("/admin/usage");
        return usage.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("client").GetString() == client).Clone();
    }

    public static async Task<int> HeldAsync(RouterFactory router, string client) =>
        (await RowAsync(router, client)).GetProperty("held").GetInt32();

    public static async Task<long> TokensTodayAsync(RouterFactory router, string client) =>
        (await RowAsync(router, client)).GetProperty("tokensToday").GetInt64();

    /// <summary>The value of <paramref name="metric"/>{client="..."} on /metrics; null when the series is absent.</summary>
    public static async Task<double?> GaugeAsync(RouterFactory router, string metric, string client)
    {
        using var http = router.Client();
        var text = await http.GetStringAsync("/metrics");
        var prefix = $"{metric}{{client=\"{client}\"}} ";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task WaitHeldAsync(RouterFactory router, string client, int held) =>
        Eventually.TrueAsync(async () => await HeldAsync(router, client) == held, $"client {client} holds {held} requests");
}
