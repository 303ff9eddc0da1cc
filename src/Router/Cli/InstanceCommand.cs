using System.Text.Json;
using GpuRouter.Configuration;

namespace GpuRouter.Cli;

/// <summary>
/// <c>gpu-router start|stop|sleep|wake NAME [--wait [--timeout 15m]]</c>: POST
/// /admin/instances/NAME/ACTION. The router answers at once (202) and does the work in the
/// background; --wait follows GET /admin/instances until the instance gets there.
/// </summary>
internal static class InstanceCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The state each action ends in.</summary>
    private static readonly Dictionary<string, string> Target = new(StringComparer.Ordinal)
    {
        ["start"] = "Ready", ["stop"] = "Stopped", ["sleep"] = "Sleeping", ["wake"] = "Ready",
    };

    public static Func<CliCall, Task<int>> For(string action) => call => RunAsync(call, action);

    private static Task<int> RunAsync(CliCall call, string action)
    {
        var name = call.Args[0];
        TimeSpan? wait = null;
        if (call.Flag("--wait"))
        {
            var timeout = call.Option("--timeout");
            if (timeout is null) wait = DefaultTimeout;
            else if (Duration.TryParse(timeout, out var parsed) && parsed > TimeSpan.Zero) wait = parsed;
            else return Task.FromResult(call.UsageError($"--timeout '{timeout}' is not a duration such as 90s, 15m or 1h."));
        }
        else if (call.Option("--timeout") is not null)
        {
            return Task.FromResult(call.UsageError("--timeout goes with --wait."));
        }
        return AdminCommand.RunAsync(call, admin => ActAsync(call, admin, action, name, wait));
    }

    private static async Task<int> ActAsync(CliCall call, AdminClient admin, string action, string name, TimeSpan? wait)
    {
        var result = await admin.SendAsync(HttpMethod.Post, $"/admin/instances/{Uri.EscapeDataString(name)}/{action}");
        if (result.Status == 404) return call.Fail(await NotFoundAsync(admin, action, name, result.Failure!));
        if (result.Failure is { } failure) return call.Fail(failure);
        if (action == "stop" && result.Body.Text("endpoint") is { } endpoint)
            return call.Fail(new CliFailure(ExitCodes.Failed, $"{name} is the server at {endpoint}: the router routes to it but never starts or stops it."));
        if (wait is null)
        {
            if (call.Json) call.Out.WriteLine(result.Text);
            else call.Out.WriteLine($"{name}: {action} requested, now {Json.Show(result.Body.Text("state"))}. 'gpu-router status' shows its progress; --wait waits for {Target[action]}.");
            return ExitCodes.Ok;
        }
        // A start the router refused at once (backing off after failures) leaves it Failed.
        if (action == "start" && result.Body.Text("state") == "Failed") return call.Fail(FailedNow(name, result.Body));
        return await WaitAsync(call, admin, action, name, wait.Value);
    }

    private static async Task<int> WaitAsync(CliCall call, AdminClient admin, string action, string name, TimeSpan timeout)
    {
        var time = call.Context.Time;
        var started = time.GetTimestamp();
        while (true)
        {
            var list = await admin.GetAsync("/admin/instances");
            if (list.Failure is { } failure) return call.Fail(failure);
            if (Find(list.Body, name) is not { } instance) return call.Fail(new CliFailure(ExitCodes.Failed, $"{name} is no longer listed."));
            var state = instance.Text("state");
            if (state == Target[action])
            {
                if (call.Json) call.Out.WriteLine(instance.GetRawText());
                else call.Out.WriteLine($"{name}: {state} after {TimeText.Span(time.GetElapsedTime(started))}.");
                return ExitCodes.Ok;
            }
            if (state == "Failed" && action != "stop") return call.Fail(FailedNow(name, instance));
            // A sleep that did not free the GPU ends in a stop, with the reason.
            if (state == "Stopped" && action == "sleep")
                return call.Fail(new CliFailure(ExitCodes.Failed, $"{name} was stopped instead of put to sleep: {instance.Text("lastError") ?? "no error recorded"}"));
            if (time.GetElapsedTime(started) >= timeout)
                return call.Fail(new CliFailure(ExitCodes.Failed, $"{name} is still {state} after {Duration.Format(timeout)}."));
            await Task.Delay(PollInterval, time);
        }
    }

    // 404: an unknown instance, or a router without this route (sleep and wake came later).
    private static async Task<CliFailure> NotFoundAsync(AdminClient admin, string action, string name, CliFailure original)
    {
        var list = await admin.GetAsync("/admin/instances");
        if (list.Failure is not null) return original;
        if (Find(list.Body, name) is not null)
            return new CliFailure(ExitCodes.Failed, $"this router does not support {action} (POST /admin/instances/{{name}}/{action} is missing): upgrade it.");
        var names = string.Join(", ", list.Body.Items("instances").Select(i => i.Text("name")));
        return new CliFailure(ExitCodes.Failed, $"no instance '{name}'. Instances: {names}.");
    }

    private static CliFailure FailedNow(string name, JsonElement instance) =>
        new(ExitCodes.Failed, $"{name} is Failed: {instance.Text("lastError") ?? "no error recorded"}");

    private static JsonElement? Find(JsonElement list, string name) =>
        list.Items("instances").Cast<JsonElement?>().FirstOrDefault(i => i!.Value.Text("name") == name);
}
