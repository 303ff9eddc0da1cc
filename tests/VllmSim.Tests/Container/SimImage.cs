namespace VllmSim.Tests.Container;

/// <summary>
/// Makes sure the image exists and matches the source: runs scripts/build-sim-image.sh once per
/// test run (it returns in about a second when its input hash matches; its own lock keeps
/// parallel runs from building twice).
/// </summary>
internal static class SimImage
{
    public const string Name = "gpu-router/vllm-sim:dev";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool ready;

    public static async Task EnsureBuiltAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (ready)
            {
                return;
            }
            var root = RepositoryRoot();
            var (dockerCode, dockerOutput) = await DockerCli.RunAsync("bash", [Path.Combine(root, "scripts/lib/ensure-docker.sh")], TimeSpan.FromMinutes(3));
            Assert.True(dockerCode == 0, $"no Docker engine: {dockerOutput}");
            var (code, output) = await DockerCli.RunAsync("bash", [Path.Combine(root, "scripts/build-sim-image.sh")], TimeSpan.FromMinutes(10));
            Assert.True(code == 0, $"build-sim-image.sh failed ({code}): {output}");
            ready = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "build-sim-image.sh")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no scripts/build-sim-image.sh above {AppContext.BaseDirectory}");
    }
}
