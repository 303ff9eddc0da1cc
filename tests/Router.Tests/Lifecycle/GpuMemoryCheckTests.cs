using GpuRouter.Instances;
using System.Diagnostics;
using GpuRouter.Configuration;
using GpuRouter.Gpu;
using GpuRouter.Http;
using GpuRouter.Lifecycle;
using Router.Tests.Gpu;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Lifecycle;

public sealed class GpuMemoryCheckTests : IDisposable
{
    private const string Ours = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Own = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly FakeNvml _nvml = new("count=2");
    private readonly NvmlPoller _poller;
    private readonly FakeProcessTable _processes = new();
    private readonly RecordingLogger<GpuMemoryCheck> _log = new();

    public GpuMemoryCheckTests() => _poller = new NvmlPoller(_nvml.Options, _clock, new RecordingLogger<NvmlPoller>());

    public void Dispose()
    {
        _poller.Dispose();
        _nvml.Dispose();
    }

    private GpuMemoryCheck Check(IGpuTelemetry? gpus = null) =>
        new(gpus ?? _poller, new ManagedInstances(), _clock, _log, _processes);

    [Fact]
    public async Task Check_EnoughFreeOnTheGpu_AllowsAtOnce()
    {
        _nvml.Write("count=2", "gpu1.used_mib=4000");

        var error = await Check().CheckAsync(Instance(0.60, 1), [Ours], CancellationToken.None);

        Assert.Null(error);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task Check_ForeignProcessHoldsTheMemory_503NamesItAndNotOurContainer()
    {
        _nvml.Write("count=2", "gpu0.processes=4242:12000,5151:2000");
        _processes.OnHost(4242, "python3").InContainer(5151, "vllm", Ours);

        var error = await DriveAsync(Check().CheckAsync(Instance(0.60, 0), [Ours], CancellationToken.None));

        Assert.NotNull(error);
        Assert.Equal(503, GpuRouter.Http.RouterError.From(error).Status);
        Assert.Equal("gpu_memory_in_use", error.Code);
        Assert.NotNull(error.RetryAfter);
        Assert.Contains("GPU 0 has 10.3 GiB free but llama_0 needs 14.4 GiB (gpuMemoryUtilization 0.6 of 24.0 GiB)", error.Message, StringComparison.Ordinal);
        Assert.Contains("pid 4242 python3 (11.7 GiB)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("5151", error.Message, StringComparison.Ordinal);
        // It waited the whole retry window for the memory before refusing.
        Assert.True(_clock.GetUtcNow() - Start >= GpuMemoryCheck.RetryFor);
        Assert.Contains(_log.Warnings, w => w.Id.Id == 3501);
    }

    [Fact]
    public async Task Check_OnlyOurStoppedContainerHoldsIt_WaitsUntilVllmFreesIt()
    {
        _nvml.Write("count=2", "gpu0.processes=5151:20000");
        _processes.InContainer(5151, "vllm", Ours);

        var check = Check().CheckAsync(Instance(0.60, 0), [Ours], CancellationToken.None);
        await Eventually.TrueAsync(() => _poller.Current.Gpus.Count == 2);
        _nvml.Write("count=2");
        var error = await DriveAsync(check);

        Assert.Null(error);
        Assert.True(_poller.Current.TakenAt > Start, "the check read NVML again after waiting");
        Assert.Contains(_log.Entries, e => e.Id.Id == 3500);
    }

    [Fact]
    public async Task Check_OurContainersNeverFreeIt_503SaysTheRouterHoldsIt()
    {
        _nvml.Write("count=2", "gpu1.processes=5151:20000");
        _processes.InContainer(5151, "vllm", Ours);

        var error = await DriveAsync(Check().CheckAsync(Instance(0.30, 1), [Ours], CancellationToken.None));

        Assert.NotNull(error);
        Assert.Contains("GPU 1 has 4.5 GiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("Held by the router's own containers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_TensorParallelInstance_NamesTheGpuThatIsShort()
    {
        _nvml.Write("count=2", "gpu1.processes=777:8000");

        var error = await DriveAsync(Check().CheckAsync(Instance(0.90, 0, 1), [], CancellationToken.None));

        Assert.NotNull(error);
        Assert.StartsWith("GPU 1 has 16.2 GiB free", error.Message, StringComparison.Ordinal);
        Assert.Contains("pid 777 (exited or hidden) (7.8 GiB)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AdoptedContainerHoldsItsOwnMemory_CountsAsFreeForIt()
    {
        _nvml.Write("count=2", "gpu0.processes=6001:21000");
        _processes.InContainer(6001, "vllm", Own);

        var error = await Check().CheckAsync(Instance(0.90, 0), Own, CancellationToken.None);

        Assert.Null(error);
    }

    [Fact]
    public async Task Check_GpuNvmlCannotRead_IsLeftToTheShareReservation()
    {
        _nvml.Write("count=2", "gpu0.lost=1", "gpu1.processes=1:24000");

        var error = await Check().CheckAsync(Instance(0.90, 0), [], CancellationToken.None);

        Assert.Null(error);
    }

    [Fact]
    public async Task Check_TelemetryOff_AllowsWithoutReading()
    {
        var error = await Check(new DisabledGpuTelemetry()).CheckAsync(Instance(0.90, 0), [], CancellationToken.None);

        Assert.Null(error);
        Assert.Empty(_poller.Current.Gpus);
    }

    [Fact]
    public void ProcFsProcessTable_ReadsCommAndCgroupOfAPid_NullForOneThatIsGone()
    {
        var root = Directory.CreateTempSubdirectory("proc-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "42"));
            File.WriteAllText(Path.Combine(root.FullName, "42", "comm"), "python3\n");
            File.WriteAllText(Path.Combine(root.FullName, "42", "cgroup"), $"0::/system.slice/docker-{Ours}.scope\n");
            var table = new ProcFsProcessTable(root.FullName);

            Assert.Equal("python3", table.Name(42));
            Assert.Contains(Ours, table.Cgroup(42), StringComparison.Ordinal);
            Assert.Null(table.Name(43));
            Assert.Null(table.Cgroup(43));
            Assert.NotNull(ProcFsProcessTable.Instance.Cgroup((uint)Environment.ProcessId));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    // Moves the manual clock in retry steps until the check ends: its waits are on that clock.
    private async Task<GpuRouter.Failures.Failure?> DriveAsync(Task<GpuRouter.Failures.Failure?> check)
    {
        var limit = Stopwatch.StartNew();
        while (!check.IsCompleted)
        {
            Assert.True(limit.Elapsed < TimeSpan.FromSeconds(10), "the check did not finish");
            _clock.Advance(GpuMemoryCheck.RetryEvery);
            await Task.Delay(2);
        }
        return await check;
    }

    private static InstanceDefinition Instance(double share, params int[] gpus)
    {
        var model = new ModelDefinition { Name = "llama", Kind = ModelKind.Chat, Mode = ModelMode.Day, Ttl = TimeSpan.FromMinutes(30) };
        return new InstanceDefinition
        {
            Name = gpus.Length > 1 ? "llama_dual" : $"llama_{gpus[0]}", Model = model, Gpus = gpus, MaxConcurrent = 2, MaxQueue = 8,
            GpuMemoryUtilization = share, GpuLabel = string.Join(',', gpus),
        };
    }
}
