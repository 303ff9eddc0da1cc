using GpuRouter.Hosting;
using System.Diagnostics;
using GpuRouter.Admission;
using GpuRouter.Configuration;
using GpuRouter.Gpu;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Router.Tests.Docker;
using Router.Tests.Gpu;

namespace Router.Tests.Lifecycle;

/// <summary>
/// The check as a container start meets it: services from AddLifecycle (so the registration is
/// tested too), NVML from the fake library, Docker a fake daemon that records what reaches it.
/// </summary>
public sealed class GpuMemoryCheckOwnerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly FakeNvml _nvml = new("count=2");
    private readonly FakeDockerDaemon _docker = new(_ => FakeDockerDaemon.Text(500, "daemon is shutting down\n"));
    private ServiceProvider _services = null!;
    private RouterConfig _settings = null!;

    public Task InitializeAsync()
    {
        _settings = ConfigLoader.Load(Yaml(_docker.Endpoint, _nvml.LibraryPath), "test.yaml", _ => null);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(_settings.Lifecycle);
        services.AddLifecycle(new ModelsOptions(_settings.Models), _settings.Lifecycle, _settings.Docker, _settings.Host);
        services.AddGpuTelemetry(new NvmlOptions { Library = _nvml.LibraryPath });
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    /// <summary>One instance needing 0.6 of GPU 0, NVML from <paramref name="nvml"/>, Docker at <paramref name="docker"/>.</summary>
    internal static string Yaml(string docker, string nvml) => $$"""
        docker: { endpoint: "{{docker}}", network: host, portRange: "18000-18009", gpuAccess: none }
        nvml: { library: "{{nvml}}" }
        models:
          - name: llama
            image: gpu-router/vllm-sim:dev
            hfModel: sim/llama
            instances:
              - { name: llama_0, gpus: [0], maxModelLen: 8192, maxConcurrent: 2, gpuMemoryUtilization: 0.6 }
        """;

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _docker.DisposeAsync();
        _nvml.Dispose();
    }

    [Fact]
    public async Task ColdStart_GpuHeldByAnotherProgram_Is503NamingItAndNothingReachesDocker()
    {
        _nvml.Write("count=2", "gpu0.processes=4242:20000");
        var owner = Owner();

        var ready = await DriveAsync(owner.EnsureReadyAsync(null, CancellationToken.None).AsTask());

        Assert.NotNull(ready.Error);
        Assert.Equal("gpu_memory_in_use", ready.Error.Code);
        Assert.Contains("GPU 0 has 4.5 GiB free but llama_0 needs 14.4 GiB", ready.Error.Message, StringComparison.Ordinal);
        Assert.Contains("pid 4242", ready.Error.Message, StringComparison.Ordinal);
        Assert.Empty(_docker.Requests);
        Assert.Equal(InstanceState.Failed, owner.State);
        Assert.False(_services.GetRequiredService<GpuPlacement>().Holds(owner), "the reservation is given back");
    }

    [Fact]
    public async Task ColdStart_GpuMemoryFree_GoesOnToDocker()
    {
        var owner = Owner();

        // Enough memory: the check waits for nothing, so the manual clock need not move.
        var ready = await owner.EnsureReadyAsync(null, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(ready.Error);
        Assert.NotEqual("gpu_memory_in_use", ready.Error.Code);
        Assert.NotEmpty(_docker.Requests);
    }

    // Made by the production factory, so an owner built without the check fails these tests.
    private ContainerInstanceOwner Owner()
    {
        var definition = _settings.Instances.Single();
        var gate = new InstanceGate(definition.Name, definition.MaxConcurrent, definition.MaxQueue, _clock);
        return Assert.IsType<ContainerInstanceOwner>(_services.GetRequiredService<IInstanceOwnerFactory>().Create(definition, gate));
    }

    // The check waits on the manual clock.
    private async Task<ReadyResult> DriveAsync(Task<ReadyResult> start)
    {
        var limit = Stopwatch.StartNew();
        while (!start.IsCompleted)
        {
            Assert.True(limit.Elapsed < TimeSpan.FromSeconds(10), "the start did not finish");
            _clock.Advance(GpuMemoryCheck.RetryEvery);
            await Task.Delay(2);
        }
        return await start;
    }
}
