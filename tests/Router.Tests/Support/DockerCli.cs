using System.Diagnostics;

namespace Router.Tests;

/// <summary>The docker CLI, for tests to look at (and clean up) what the router did through the Engine API.</summary>
internal static class DockerCli
{
    public const string SimImage = "gpu-router/vllm-sim:dev";

    public static async Task<string> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await output).Trim() + (process.ExitCode == 0 ? "" : "\n" + (await error).Trim());
    }

    /// <summary>Ids of the containers (running or not) of an instance.</summary>
    public static async Task<string[]> ContainersAsync(string instance) =>
        (await RunAsync("ps", "-aq", "--no-trunc", "--filter", $"label=gpu-router.instance={instance}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static async Task RemoveAsync(params string[] instances)
    {
        foreach (var instance in instances)
        {
            foreach (var id in await ContainersAsync(instance)) await RunAsync("rm", "-f", id);
        }
    }
}
