using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary><c>gpu-router mode [auto|day|night]</c>: GET /admin/mode, or PUT it with the override.</summary>
internal static class ModeCommand
{
    private static readonly string[] Overrides = ["auto", "day", "night"];

    public static async Task<int> RunAsync(CliCall call)
    {
        var value = call.Args.Count > 0 ? call.Args[0].ToLowerInvariant() : null;
        if (value is not null && !Overrides.Contains(value))
            return call.UsageError($"'{call.Args[0]}' is not a mode; use auto, day or night.");
        return await AdminCommand.ShowAsync(call,
            admin => value is null
                ? admin.GetAsync("/admin/mode")
                : admin.SendAsync(HttpMethod.Put, "/admin/mode", JsonSerializer.Serialize(new { @override = value })),
            body => Write(call.Out, body, call.Context.Time));
    }

    /// <summary>The mode, its override, since when, the next scheduled switch and the last switch.</summary>
    public static void Write(TextWriter output, JsonElement mode, TimeProvider time)
    {
        var table = new TextTable("mode", Json.Show(mode.Text("mode")) + $" (override: {Json.Show(mode.Text("override"))})");
        if (mode.Time("since") is { } since) table.Add("since", $"{TimeText.Local(since, time)} ({TimeText.Ago(since, time)})");
        table.Add("next switch", mode.Time("nextSwitch") is { } next
            ? $"{TimeText.Local(next, time)} ({TimeText.In(next, time)})"
            : "none while the override holds ('gpu-router mode auto' follows the schedule)");
        if (mode.Field("lastSwitch") is { } last) table.Add("last switch", LastSwitch(last, time));
        table.WriteTo(output);
    }

    private static string LastSwitch(JsonElement last, TimeProvider time)
    {
        var text = $"{Json.Show(last.Text("from"))} -> {Json.Show(last.Text("to"))}, {Json.Show(last.Text("phase"))}";
        if (last.Number("totalMs") is { } ms) text += $" in {ms / 1000:0.0} s";
        if (last.Time("startedAt") is { } at) text += $", {TimeText.Ago(at, time)}";
        if (last.Text("error") is { } error) text += $": {error}";
        return text;
    }
}
