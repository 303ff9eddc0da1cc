using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using GpuRouter.Configuration;
using GpuRouter.Hosting;
using GpuRouter.Lifecycle;

namespace Router.Tests.Capacity;

/// <summary>
/// The router's memory check and the backend agree, each reading the model's config.json from the
/// same cache with its own arithmetic: a share that cannot hold Llama-3.1-8B is refused by the
/// router naming the instance, and the simulator started directly with that share (the container
/// command the router would have run) fails as vLLM does; the shipped share passes both.
/// </summary>
public sealed class MemoryAgreementTests : IDisposable
{
    private readonly TestHfCache _cache = new TestHfCache().Add("meta-llama/Llama-3.1-8B-Instruct");

    public void Dispose() => _cache.Dispose();

    private string Yaml(double share) => $$"""
        docker: { network: host, gpuAccess: none, hfCache: {{_cache.Root}} }
        gpus: [ { index: 0, memory: 24GiB }, { index: 1, memory: 24GiB } ]
        models:
          - name: llama
            hfModel: meta-llama/Llama-3.1-8B-Instruct
            instances:
              - { name: llama_1, gpus: [1], maxModelLen: 8192, maxConcurrent: 6, gpuMemoryUtilization: {{share.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }
        """;

    [Fact]
    public async Task ShareBelowTheWeights_RouterNamesTheInstance_AndTheBackendFailsAsVllmDoes()
    {
        var refused = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(Yaml(0.60), "router.yaml", _ => null, RouterHostingExtensions.StartupChecks));
        Assert.StartsWith("llama_1: gpuMemoryUtilization 0.60", refused.Errors[0], StringComparison.Ordinal);

        var (exitCode, output) = await RunSimAsync(0.60, untilHealthy: false);

        Assert.Equal(1, exitCode);
        Assert.Contains("ValueError: No available memory for the cache blocks.", output, StringComparison.Ordinal);
        Assert.Contains("RuntimeError: Engine core initialization failed.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShippedShare_RouterAccepts_AndTheBackendStarts()
    {
        var settings = ConfigLoader.Load(Yaml(0.75), "router.yaml", _ => null, RouterHostingExtensions.StartupChecks);
        Assert.Contains(settings.Notes, n => n.StartsWith("llama_1: ", StringComparison.Ordinal) && n.Contains(" holds ", StringComparison.Ordinal));

        var (exitCode, output) = await RunSimAsync(0.75, untilHealthy: true);

        Assert.Null(exitCode);
        Assert.DoesNotContain("ValueError", output, StringComparison.Ordinal);
    }

    // The simulator as a process, with the exact command the router's container spec gives it,
    // plus the simulated GPU and HF_HOME where the container would have the cache mounted.
    private async Task<(int? ExitCode, string Output)> RunSimAsync(double share, bool untilHealthy)
    {
        var settings = ConfigLoader.Load(Yaml(share), "router.yaml", _ => null);
        var port = FreePort();
        var plan = new ContainerSpecFactory(settings.Docker, "test", _ => null).Create(settings.Instances.Single(), port);
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vllm-sim.dll"));
        foreach (var arg in plan.Spec.Cmd!) info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--sim-gpu-memory");
        info.ArgumentList.Add("24GiB");
        info.Environment["HF_HOME"] = _cache.Root;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (untilHealthy)
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                await Eventually.TrueAsync(async () => process.HasExited
                    || (await Record.ExceptionAsync(() => client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health")))) is null,
                    "the simulator answered /health or exited", 30_000);
                return (process.HasExited ? process.ExitCode : null, "");
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
