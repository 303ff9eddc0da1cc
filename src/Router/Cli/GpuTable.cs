using System.Globalization;
using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>The GPUs of /health and /admin/gpus as a table: role, share reserved, NVML's reading, instances.</summary>
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
            var index = Json.Show(gpu.Integer("index"));
            var cells = new List<string> { index };
            if (detailed) cells.Add(Json.Show(gpu.Text("name")));
            cells.AddRange([Json.Show(gpu.Text("role")), Share(gpu.Number("reservedShare")), Memory(gpu), Percent(gpu), Temperature(gpu)]);
            if (detailed) cells.Add(gpu.Number("powerWatts") is { } w ? $"{w:0} W" : "-");
            cells.Add(Instances(gpu, detailed));
            table.Add([.. cells]);
            if (gpu.Text("error") is { } error) notes.Add($"GPU {index}: {error}");
        }
        table.WriteTo(output);
        if (gpus.Any() && gpus.All(g => g.Text("telemetry") == "off"))
            notes.Add("GPU telemetry is off (NVML not loaded): memory, utilisation and temperature are not read.");
        foreach (var note in notes) output.WriteLine(note);
    }

    private static string Memory(JsonElement gpu) =>
        gpu.Number("memoryTotalBytes") is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"{(gpu.Number("memoryUsedBytes") ?? 0) / Gib:0.0}/{total / Gib:0.0} GiB")
            : "-";

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
