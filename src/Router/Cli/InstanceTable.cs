using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>The instances of /health and /admin/instances as a table.</summary>
internal static class InstanceTable
{
    private const int ErrorWidth = 70;

    public static void Write(TextWriter output, IEnumerable<JsonElement> instances, TimeProvider time)
    {
        var table = new TextTable("INSTANCE", "MODEL", "MODE", "GPUS", "STATE", "IN FLIGHT", "QUEUED", "LAST USED", "RESTARTS", "LAST ERROR");
        foreach (var i in instances)
        {
            table.Add(
                Json.Show(i.Text("name")), Json.Show(i.Text("model")), Json.Show(i.Text("mode")), Gpus(i),
                i.Text("endpoint") is null ? Json.Show(i.Text("state")) : $"{Json.Show(i.Text("state"))} (endpoint)",
                InFlight(i), Json.Show(i.Integer("queued")), TimeText.Ago(i.Time("lastUsed"), time),
                Json.Show(i.Integer("restarts")), Error(i.Text("lastError")));
        }
        table.WriteTo(output);
    }

    // "0,1"; "dgx:0,1" on a remote host.
    private static string Gpus(JsonElement instance) =>
        string.Join(',', instance.Items("gpus").Select(g => g.GetRawText())) is { Length: > 0 } list ? HostTable.Gpu(instance.Text("host"), list) : "-";

    // "1/3"; "1/2 of 3" when the router lowered the limit after an out-of-memory crash.
    private static string InFlight(JsonElement instance)
    {
        var text = $"{Json.Show(instance.Integer("inFlight"))}/{Json.Show(instance.Integer("limit"))}";
        var configured = instance.Integer("configuredLimit");
        return configured is not null && configured != instance.Integer("limit") ? $"{text} of {configured}" : text;
    }

    // The first line, shortened: the whole text (with the container's log excerpt) is in --json.
    private static string Error(string? error)
    {
        if (error is null) return "-";
        var line = error.Split('\n', 2)[0].Trim();
        return line.Length > ErrorWidth ? line[..(ErrorWidth - 3)] + "..." : line;
    }
}
