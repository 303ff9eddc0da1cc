namespace Router.Tests;

/// <summary>
/// The docker CLI, for tests to look at (and clean up) what the router did through the Engine API.
/// <c>host</c> names another engine (a <see cref="PrivateDockerd"/>'s endpoint); null is the machine's.
/// </summary>
internal static class DockerCli
{
    public const string SimImage = "gpu-router/vllm-sim:dev";

    public static Task<string> RunAsync(params string[] args) => RunOnAsync(null, args);

    /// <summary>stdout, with stderr added when the command failed.</summary>
    public static async Task<string> RunOnAsync(string? host, params string[] args)
    {
        var (code, output, error) = await Processes.RunAsync("docker", host is null ? args : ["--host", host, .. args]);
        return code == 0 ? output : output + "\n" + error;
    }

    /// <summary>Ids of the containers (running or not) of an instance.</summary>
    public static async Task<string[]> ContainersAsync(string instance, string? host = null) =>
        (await RunOnAsync(host, "ps", "-aq", "--no-trunc", "--filter", $"label=gpu-router.instance={instance}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static Task RemoveAsync(params string[] instances) => RemoveOnAsync(null, instances);

    public static async Task RemoveOnAsync(string? host, params string[] instances)
    {
        foreach (var instance in instances)
        {
            foreach (var id in await ContainersAsync(instance, host)) await RunOnAsync(host, "rm", "-f", id);
        }
    }
}
