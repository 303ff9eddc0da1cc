namespace Router.Tests.Fixtures;

/// <summary>
/// Makes sure <c>gpu-router/vllm-sim:dev</c> is built from this checkout's simulator before a test
/// runs a container of it: <c>scripts/build-sim-image.sh</c> compares a hash of the sources with
/// the image's label and rebuilds when they differ (about a second when nothing changed; its own
/// lock keeps parallel runs from building twice). Once per test process.
/// </summary>
public sealed class SimImage : IAsyncLifetime
{
    public const string Name = DockerCli.SimImage;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _built;

    public Task InitializeAsync() => EnsureBuiltAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Runs the build script now (a second or so when nothing changed) and returns the image's
    /// tag by content hash (<c>gpu-router/vllm-sim:h-...</c>, which the script keeps): the
    /// <c>:dev</c> tag is shared by every work tree on the machine and may point at another tree's
    /// simulator by the time a fixture copies it into a private engine.
    /// </summary>
    public static async Task<string> CurrentHashTagAsync()
    {
        await Gate.WaitAsync();
        try
        {
            var (code, output, error) = await Processes.RunAsync("bash", Path.Combine(RepoRoot.Path, "scripts/build-sim-image.sh"));
            if (code != 0) throw new InvalidOperationException($"build-sim-image.sh failed ({code}):\n{output}\n{error}");
            var (_, hash, _) = await Processes.RunAsync("docker", "image", "inspect", "--format", "{{ index .Config.Labels \"gpu-router.sim.hash\" }}", Name);
            return $"{Name[..Name.LastIndexOf(':')]}:h-{hash.Trim()[..16]}";
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task EnsureBuiltAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_built) return;
            foreach (var script in new[] { "scripts/lib/ensure-docker.sh", "scripts/build-sim-image.sh" })
            {
                var (code, output, error) = await Processes.RunAsync("bash", Path.Combine(RepoRoot.Path, script));
                if (code != 0) throw new InvalidOperationException($"{script} failed ({code}):\n{output}\n{error}");
            }
            _built = true;
        }
        finally
        {
            Gate.Release();
        }
    }
}
