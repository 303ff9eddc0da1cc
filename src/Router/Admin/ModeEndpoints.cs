using System.Text.Json;
using GpuRouter.Failures;
using GpuRouter.Http;
using GpuRouter.Schedule;

namespace GpuRouter.Admin;

/// <summary>GET and PUT /admin/mode: the mode controller's state, and the operator's override.</summary>
internal static class ModeEndpoints
{
    public static RouteGroupBuilder MapMode(this RouteGroupBuilder admin)
    {
        admin.MapGet("/mode", (ModeController mode) => Results.Json(View(mode)));
        admin.MapPut("/mode", async (HttpContext context, ModeController mode) =>
        {
            var requested = await ReadOverrideAsync(context);
            if (requested is null)
            {
                await ErrorResults.WriteAsync(context, Failure.InvalidRequest("Send {\"override\":\"auto|day|night\"}.", "override"));
                return;
            }
            mode.SetOverride(requested.Value);
            await context.Response.WriteAsJsonAsync(View(mode));
        });
        return admin;
    }

    private static object View(ModeController mode) => new
    {
        mode = mode.Mode.ToString().ToLowerInvariant(),
        @override = mode.Override.ToString().ToLowerInvariant(),
        since = mode.Since,
        nextSwitch = mode.NextSwitch,
        lastSwitch = mode.LastSwitch,
    };

    private static async Task<ModeOverride?> ReadOverrideAsync(HttpContext context)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("override", out var value)
                && value.ValueKind == JsonValueKind.String
                && Enum.TryParse<ModeOverride>(value.GetString(), ignoreCase: true, out var parsed)
                && Enum.IsDefined(parsed))
                return parsed;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a value that is not text (invalid UTF-8, a lone surrogate escape): the 400 below.
        }
        return null;
    }
}
