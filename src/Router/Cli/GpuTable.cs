using System.Globalization;
using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>
/// The GPUs of /health and /admin/gpus as a table: role, share reserved, NVML's reading, instances.
/// A remote host's GPU reads "dgx:0" and its memory is what the router reserved there (no NVML).
/// </summary>
internal static class GpuTable
{
    private const double Gib = 1024.0 * 1024 * 1024;

    /// <param name="detailed">gpus: the device name, power and each instance's state; status: the short form.</param>
    public static void Write(TextWriter output, IEnumerable<JsonElement> gpus, bool detailed)
    {
        var table = detailed
            ? new TextTable("GPU", "NAME", "ROLE", "RESERVED", "MEMORY", "UTIL", "TEMP", "POWER", "INSTANCES")
            : new TextTable("GPU", "ROLE", "RESERVED", "MEMORY", "UTIL", "TEMP", "INSTANCES");
        var notes = new List<string>();
        foreach (var gpu in gpus)
        {
            var index = HostTable.Gpu(gpu.Text("host"), Json.Show(gpu.Integer("index")));
            var cells = new List<string> { index };
            if (detailed) cells.Add(Json.Show(gpu.Text("name")));
            cells.AddRange([Json.Show(gpu.Text("role")), Share(gpu.Number("reservedShare")), Memory(gpu), Percent(gpu), Temperature(gpu)]);
            if (detailed) cells.Add(gpu.Number("powerWatts") is { } w ? $"{w:0} W" : "-");
            cells.Add(Instances(gpu, detailed));
            table.Add([.. cells]);
            if (gpu.Text("error") is { } error) notes.Add($"GPU {index}: {error}");
        }
        table.WriteTo(output);
        var local = gpus.Where(g => !IsRemote(g)).ToList();
        if (local.Count > 0 && local.All(g => g.Text("telemetry") == "off"))
            notes.Add("GPU telemetry is off (NVML not loaded): memory, utilisation and temperature are not read.");
        foreach (var host in gpus.Where(IsRemote).Select(g => g.Text("host")).Distinct())
            notes.Add($"GPUs on {host} are not measured (NVML is read for the local GPUs only): MEMORY is what the router reserved there.");
        foreach (var note in notes) output.WriteLine(note);
    }

    // "remote": a GPU of another host, which NVML never reads.
    private static bool IsRemote(JsonElement gpu) => gpu.Text("telemetry") == "remote";

    private static string Memory(JsonElement gpu)
    {
        if (IsRemote(gpu))
        {
            return gpu.Number("memoryBytes") is { } card
                ? string.Create(CultureInfo.InvariantCulture, $"{(gpu.Number("reservedBytes") ?? 0) / Gib:0.0}/{card / Gib:0.0} GiB reserved")
                : "-";
        }
        return gpu.Number("memoryTotalBytes") is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"{(gpu.Number("memoryUsedBytes") ?? 0) / Gib:0.0}/{total / Gib:0.0} GiB")
            : "-";
    }

    private static string Share(double? share) => share is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Percent(JsonElement gpu) => gpu.Integer("utilizationPercent") is { } u ? $"{u}%" : "-";

    private static string Temperature(JsonElement gpu) => gpu.Integer("temperatureCelsius") is { } t ? $"{t} C" : "-";

    private static string Instances(JsonElement gpu, bool withState)
    {
        var names = gpu.Items("instances").Select(i => withState
            ? $"{Json.Show(i.Text("name"))} ({Json.Show(i.Text("state"))})"
            : Json.Show(i.Text("name")));
        return string.Join(", ", names) is { Length: > 0 } list ? list : "-";
    }
}
