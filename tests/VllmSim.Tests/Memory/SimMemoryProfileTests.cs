using VllmSim.Hosting;

namespace VllmSim.Tests.Memory;

/// <summary>
/// Start-up on a simulated GPU: the share must hold the weights (read from the model's
/// config.json and safetensors index in the Hugging Face cache) and max-model-len tokens of KV
/// cache, or the start fails with vLLM's words and exit code 1.
/// </summary>
public sealed class SimMemoryProfileTests : IDisposable
{
    private const string Llama = "meta-llama/Llama-3.1-8B-Instruct";
    private readonly string _home = Directory.CreateTempSubdirectory("sim-hf-").FullName;

    public SimMemoryProfileTests()
    {
        // The router's fixture of the real config.json and index, in huggingface_hub's layout.
        var fixture = Path.Combine(RepoRoot(), "tests", "Router.Tests", "Fixtures", "HfConfigs", "meta-llama--Llama-3.1-8B-Instruct");
        var repo = Path.Combine(_home, "hub", "models--meta-llama--Llama-3.1-8B-Instruct");
        var snapshot = Directory.CreateDirectory(Path.Combine(repo, "snapshots", "rev1")).FullName;
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), "rev1");
        foreach (var file in Directory.GetFiles(fixture)) File.Copy(file, Path.Combine(snapshot, Path.GetFileName(file)));
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task<(Exception? Error, string Log)> StartAsync(double share, int maxModelLen, string? gpu = "24GiB")
    {
        var log = new StringWriter();
        var options = new SimOptions
        {
            Model = Llama, Port = 0, GpuMemoryUtilization = share, MaxModelLen = maxModelLen,
            SimGpuMemoryBytes = gpu is null ? null : 24L << 30, HuggingFaceHome = _home, LogOutput = log,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Information,
        };
        var error = await Record.ExceptionAsync(async () => await (await SimServer.StartAsync(options)).DisposeAsync());
        return (error, log.ToString());
    }

    [Fact]
    public async Task ShareBelowTheWeights_FailsWithNoAvailableMemoryAndExitCode1()
    {
        var (error, log) = await StartAsync(0.60, 8192);

        Assert.Equal(1, Assert.IsType<SimStartFailedException>(error).ExitCode);
        Assert.Contains("model weights take 14.96GiB; Available KV cache memory: -2.24 GiB", log, StringComparison.Ordinal);
        Assert.Contains("ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.", log, StringComparison.Ordinal);
        Assert.EndsWith(SimServer.EngineFailedLine + Environment.NewLine, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KvCacheShorterThanMaxModelLen_FailsWithVllmsEstimate()
    {
        var (error, log) = await StartAsync(0.90, 131072);

        Assert.IsType<SimStartFailedException>(error);
        Assert.Contains("ValueError: To serve at least one request with the model's max seq len (131072), (16.00 GiB KV cache is needed, which is larger than the available KV cache memory (4.86 GiB).", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShareThatHoldsTheModel_Starts_AndNoSimulatedGpuChecksNothing()
    {
        Assert.Null((await StartAsync(0.75, 8192)).Error);
        Assert.Null((await StartAsync(0.10, 8192, gpu: null)).Error);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Router.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Router.sln not found");
    }
}
