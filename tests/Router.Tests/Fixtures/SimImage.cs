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
