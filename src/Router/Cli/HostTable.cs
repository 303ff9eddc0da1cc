using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>
/// The hosts of /health and /admin/gpus as a table: each engine, where its containers are reached,
/// whether the router reaches it, since when and why not. Written only when the router has hosts
/// besides the local engine, so the output of a router without <c>hosts</c> (and of a router too
/// old to send them) stays as it was.
/// </summary>
internal static class HostTable
{
    public const string Local = "local";

    /// <summary>Whether the answer names a host besides the local engine.</summary>
    public static bool HasRemote(JsonElement body) => body.Items("hosts").Any(h => h.Text("name") is { } name && name != Local);

    /// <summary>The table and a blank line after it; nothing without remote hosts.</summary>
    public static void Write(TextWriter output, JsonElement body, TimeProvider time)
    {
        if (!HasRemote(body)) return;
        var table = new TextTable("HOST", "ENGINE", "ADDRESS", "REACHABILITY", "SINCE", "REASON");
        foreach (var host in body.Items("hosts"))
        {
            table.Add(
                Json.Show(host.Text("name")), Json.Show(host.Text("engine")), Json.Show(host.Text("address")),
                Json.Show(host.Text("reachability")), TimeText.Ago(host.Time("since"), time), Json.Show(host.Text("reason")));
        }
        table.WriteTo(output);
        output.WriteLine();
    }

    /// <summary>"0" for a GPU of the local engine (or a router too old to say), "dgx:0" for a remote host's.</summary>
    public static string Gpu(string? host, string index) => host is null or Local ? index : $"{host}:{index}";
}
