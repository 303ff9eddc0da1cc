namespace Router.Tests.Install;

/// <summary>
/// A publish folder of the router for install.sh --from: a plain (framework-dependent) publish of
/// the build the tests run on, which takes seconds; install.sh's own self-contained publish takes
/// minutes and is the same files plus the runtime.
/// </summary>
public sealed class PublishedRouter : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("router-publish-").FullName;

    public async Task InitializeAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var (code, output, error) = await Processes.RunAsync("dotnet", "publish", Path.Combine(RepoRoot.Path, "src", "Router"),
            "-c", configuration, "--no-build", "-o", Folder, "-nologo");
        if (code != 0) throw new InvalidOperationException($"dotnet publish failed ({code}):\n{output}\n{error}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
