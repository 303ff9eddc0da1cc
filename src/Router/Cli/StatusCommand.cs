using System.Text;
using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>
/// <c>gpu-router status</c>: the mode (GET /admin/mode), then the hosts (only when the router has
/// remote hosts), GPUs and instances from one reading of GET /health. With --json: <c>{"mode": /admin/mode's JSON, "health": /health's}</c>.
/// </summary>
internal static class StatusCommand
{
    public static Task<int> RunAsync(CliCall call) => AdminCommand.RunAsync(call, admin => ShowAsync(call, admin));

    private static async Task<int> ShowAsync(CliCall call, AdminClient admin)
    {
        // The admin route first: a missing or refused key is reported before anything is shown.
        var mode = await admin.GetAsync("/admin/mode");
        if (mode.Failure is { } failure) return call.Fail(failure);
        var health = await admin.GetAsync("/health");
        if (health.Failure is { } healthFailure) return call.Fail(healthFailure);
        if (call.Json)
        {
            call.Out.WriteLine(Combine(("mode", mode.Body), ("health", health.Body)));
            return ExitCodes.Ok;
        }
        var time = call.Context.Time;
        ModeCommand.Write(call.Out, mode.Body, time);
        call.Out.WriteLine();
        HostTable.Write(call.Out, health.Body, time);
        GpuTable.Write(call.Out, health.Body.Items("gpus"), detailed: false);
        call.Out.WriteLine();
        InstanceTable.Write(call.Out, health.Body.Items("instances"), time);
        return ExitCodes.Ok;
    }

    private static string Combine(params (string Name, JsonElement Value)[] parts)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var (name, value) in parts)
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
