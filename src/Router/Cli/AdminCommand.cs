using System.Text.Json;

namespace GpuRouter.Cli;

/// <summary>What every admin command does around its own part: the client for --url, and --json or a table.</summary>
internal static class AdminCommand
{
    public static async Task<int> RunAsync(CliCall call, Func<AdminClient, Task<int>> body)
    {
        using var admin = AdminClient.Create(call, out var error);
        return admin is null ? call.UsageError(error!) : await body(admin);
    }

    /// <summary>One call; its JSON as the router sent it with --json, else rendered.</summary>
    public static Task<int> ShowAsync(CliCall call, Func<AdminClient, Task<AdminResult>> send, Action<JsonElement> render) =>
        RunAsync(call, async admin =>
        {
            var result = await send(admin);
            if (result.Failure is { } failure) return call.Fail(failure);
            if (call.Json) call.Out.WriteLine(result.Text);
            else render(result.Body);
            return ExitCodes.Ok;
        });
}
