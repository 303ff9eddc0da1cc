using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using GpuRouter.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Router.Tests.Fixtures;

/// <summary>
/// Builds the Docker tests' image once per run: <c>tests/native/docker-test-app.c</c> compiled
/// static and copied into an image FROM scratch (nothing can be pulled here). The docker CLI is
/// used only for <c>docker build</c>; the image carries a hash of its inputs as a label, so a run
/// whose inputs have not changed skips the build.
/// </summary>
public sealed class DockerTestImage : IAsyncLifetime
{
    public const string Tag = "gpu-router/docker-test-app:dev";
    private const string HashLabel = "gpu-router.test-image-hash";
    private const string SourcePath = "tests/native/docker-test-app.c";
    private const string Dockerfile = "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n";
    private static readonly string[] GccFlags = ["-static", "-O2", "-Wall", "-Wextra", "-Werror"];
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    public async Task InitializeAsync()
    {
        var source = FindSource();
        var hash = InputsHash(await File.ReadAllBytesAsync(source));
        using var client = CreateClient();
        var image = await client.InspectImageAsync(Tag, CancellationToken.None);
        if (image?.Config?.Labels is { } labels && labels.TryGetValue(HashLabel, out var built) && built == hash)
        {
            return;
        }

        var context = Directory.CreateTempSubdirectory("docker-test-app-");
        try
        {
            await RunAsync("gcc", [.. GccFlags, "-o", Path.Combine(context.FullName, "app"), source]);
            await File.WriteAllTextAsync(Path.Combine(context.FullName, "Dockerfile"), Dockerfile);
            await RunAsync("docker", ["build", "--quiet", "--label", $"{HashLabel}={hash}", "--tag", Tag, context.FullName]);
        }
        finally
        {
            context.Delete(recursive: true);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A client on the local engine; tests shorten timeouts through <paramref name="configure"/>.</summary>
    internal static DockerEngineClient CreateClient(Action<DockerOptions>? configure = null)
    {
        var options = new DockerOptions();
        configure?.Invoke(options);
        return new DockerEngineClient(options, TimeProvider.System, NullLogger<DockerEngineClient>.Instance);
    }

    private static string FindSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, SourcePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{SourcePath} not found above {AppContext.BaseDirectory}.");
    }

    private static string InputsHash(byte[] source)
    {
        var inputs = Encoding.UTF8.GetBytes(Dockerfile + string.Join(' ', GccFlags) + "\n");
        return Convert.ToHexStringLower(SHA256.HashData([.. inputs, .. source]))[..16];
    }

    private static async Task RunAsync(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The classic builder: the CLI's default (BuildKit) needs a buildx plugin this machine lacks.
        start.Environment["DOCKER_BUILDKIT"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(BuildTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}
