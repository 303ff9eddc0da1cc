using GpuRouter.Hosting;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using GpuRouter.Configuration;

namespace Router.Tests.Hosting;

/// <summary>
/// Relative paths (the config file, state.dir, logging.file, an NVML library or Hugging Face cache
/// given as a path) are taken from the directory the command was started in, also under
/// <c>dotnet run --project</c>, which would otherwise start the program in the project's folder.
/// </summary>
public sealed partial class LaunchDirectoryTests
{
    private const string Minimal = """
        models:
          - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9/" }] }

        """;

    [Fact]
    public void Load_RelativePaths_AreMadeAbsoluteAgainstTheLaunchDirectory()
    {
        var settings = ConfigLoader.Load(Minimal + """
            state: { dir: state }
            logging: { file: logs/router.log }
            nvml: { library: ./native/libnvidia-ml.so.1 }
            docker: { hfCache: ../hf-cache }
            """, "test.yaml", launchDirectory: "/srv/launch");

        Assert.Equal("/srv/launch/state", settings.StateDir);
        Assert.Equal("/srv/launch/logs/router.log", settings.Logging.File);
        Assert.Equal("/srv/launch/native/libnvidia-ml.so.1", settings.Nvml.Library);
        Assert.Equal("/srv/hf-cache", settings.Docker.HfCache);
    }

    [Fact]
    public void Load_NamesWithoutASlash_AreLeftForTheirOwnLookup()
    {
        var settings = ConfigLoader.Load(Minimal + """
            nvml: { library: libnvidia-ml.so.1 }
            docker: { hfCache: hf-cache-volume }
            """, "test.yaml", launchDirectory: "/srv/launch");

        // The dynamic loader searches for a bare library name; a bare cache is a Docker volume.
        Assert.Equal("libnvidia-ml.so.1", settings.Nvml.Library);
        Assert.Equal("hf-cache-volume", settings.Docker.HfCache);
        Assert.Equal("/var/lib/gpu-router", settings.StateDir);
    }

    [Fact]
    public void LoadFile_RelativeConfigPath_IsReadFromTheLaunchDirectory()
    {
        var launch = Directory.CreateTempSubdirectory("launch-");
        try
        {
            Directory.CreateDirectory(Path.Combine(launch.FullName, "config"));
            File.WriteAllText(Path.Combine(launch.FullName, "config", "router.yaml"), Minimal + "state: { dir: .state }\n");

            var settings = ConfigLoader.LoadFile("config/router.yaml", launchDirectory: launch.FullName);

            Assert.Equal(Path.Combine(launch.FullName, ".state"), settings.StateDir);
        }
        finally
        {
            launch.Delete(recursive: true);
        }
    }

    /// <summary>The README's command, run for real from the repository root (without rebuilding: the test build made it).</summary>
    [Fact]
    public async Task DotnetRunFromTheRepositoryRoot_FindsEveryRelativePathFromThere()
    {
        var relative = Path.Combine("out", "launch-test-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(RepoRoot.Path, relative);
        Directory.CreateDirectory(Path.Combine(folder, "native"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "native", "libnvidia-ml.so.1"), Path.Combine(folder, "native", "libnvidia-ml.so.1"));
        File.WriteAllLines(Path.Combine(folder, "native", "fake_nvml.script"), ["count=2", "gpu0.used_mib=1234"]);
        File.WriteAllText(Path.Combine(folder, "router.yaml"), $$"""
            {{TestKeys.ClientsYaml}}
            state: { dir: {{relative}}/state }
            logging: { level: Information, file: {{relative}}/logs/router.log }
            nvml: { library: ./{{relative}}/native/libnvidia-ml.so.1, pollInterval: 100ms }
            docker: { endpoint: "unix://{{folder}}/no-docker.sock" }
            {{Minimal}}
            """);
        using var router = StartDotnetRun(Path.Combine(relative, "router.yaml"));
        try
        {
            var address = await router.AddressAsync();
            using var admin = new HttpClient { BaseAddress = address };
            admin.DefaultRequestHeaders.Authorization = Http.Bearer(TestKeys.Admin);

            using (var mode = await admin.PutAsync(new Uri("/admin/mode", UriKind.Relative), Http.Json("""{"override":"day"}""")))
                await mode.ExpectAsync(HttpStatusCode.OK);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "state")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "logs"), "router*.log"));
            await Eventually.TrueAsync(async () =>
            {
                using var gpus = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/gpus", UriKind.Relative)));
                return gpus.RootElement.GetProperty("gpus")[0].GetProperty("memoryUsedBytes").GetInt64() == 1234L * 1024 * 1024;
            }, "the NVML library given as a relative path was loaded");
        }
        finally
        {
            router.Stop();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static RouterProcess StartDotnetRun(string config)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The router as this test build made it (Debug or Release).
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        foreach (var arg in new[] { "run", "--no-build", "-c", configuration, "--project", "src/Router", "--", "--config", config, "--urls", "http://127.0.0.1:0" })
            info.ArgumentList.Add(arg);
        return new RouterProcess(Process.Start(info)!);
    }

    private sealed class RouterProcess(Process process) : IDisposable
    {
        private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
        private bool _reading;

        public async Task<Uri> AddressAsync()
        {
            if (!_reading)
            {
                _reading = true;
                process.OutputDataReceived += (_, e) => Line(e.Data);
                process.ErrorDataReceived += (_, e) => Line(e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                _ = process.WaitForExitAsync().ContinueWith(_ => _address.TrySetException(
                    new InvalidOperationException("The router exited: " + string.Join('\n', _output))), TaskScheduler.Default);
            }
            return await _address.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }

        public void Stop()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        public void Dispose()
        {
            Stop();
            process.Dispose();
        }

        private void Line(string? line)
        {
            if (line is null) return;
            _output.Enqueue(line);
            if (ListeningOn().Match(line) is { Success: true } match) _address.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    // Kestrel's start-up line in the router's JSON log: {"msg":"Now listening on: ...","address":"http://127.0.0.1:PORT",...}
    [GeneratedRegex(@"""address"":""(http://127\.0\.0\.1:\d+)""")]
    private static partial Regex ListeningOn();
}
