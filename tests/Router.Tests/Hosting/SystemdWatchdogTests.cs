using System.Reflection;
using GpuRouter.Hosting;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;
using Microsoft.Extensions.DependencyInjection;
using Router.Tests.Fixtures;

namespace Router.Tests.Hosting;

/// <summary>
/// The watchdog of an in-process router whose instance owner deadlocks: a thread holds the
/// owner's lock, the liveness probe fails, the pings stop; the lock is freed, they resume.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SystemdWatchdogTests
{
    // A Docker-started instance (its owner has the lock under test) on an engine that is not there:
    // the router runs, /ready waits for Docker, and nothing is ever started.
    private static string Config => $$"""
        {{TestKeys.ClientsYaml}}
        nvml: { library: /nonexistent/libnvidia-ml.so.1 }
        docker: { endpoint: "unix:///nonexistent/docker.sock", network: host, gpuAccess: none }
        models:
          - name: llama
            image: gpu-router/vllm-sim:dev
            hfModel: sim/llama
            instances:
              - { name: llama_0, gpus: [0], maxModelLen: 8192, maxConcurrent: 4, gpuMemoryUtilization: 0.5 }
        """;

    [Fact]
    public async Task OwnerLockHeld_PingsStop_AndResumeOnceItIsFree()
    {
        using var notify = new NotifySocket();
        using var environment = new ProcessVariables(new() { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "2000000" });
        using var router = new RouterFactory(Config);
        router.Start();
        var watchdog = router.Services.GetRequiredService<SystemdWatchdog>();
        var owner = Assert.IsType<ContainerInstanceOwner>(router.Services.GetRequiredService<InstanceRegistry>().Find("llama_0")!.Owner);
        await Eventually.TrueAsync(() => notify.Count("READY=1") == 1 && notify.Count("WATCHDOG=1") >= 2, "READY=1 and two pings arrived", 30_000);
        Assert.Null(watchdog.Failure);
        Assert.True(owner.Responds(TimeSpan.FromMilliseconds(100)));

        using (var held = new HeldLock(OwnerLock(owner)))
        {
            Assert.False(owner.Responds(TimeSpan.FromMilliseconds(100)));
            await Eventually.TrueAsync(() => watchdog.Failure is not null, "the probe fails while the lock is held", 30_000);
            // /health reads the owner's state under that lock, so the request is what times out first.
            Assert.Matches("/health|llama_0", watchdog.Failure);
            var sent = watchdog.Pings;
            await Eventually.TrueAsync(() => notify.Count("WATCHDOG=1") == sent, "every ping sent before has arrived");
            var probes = watchdog.Probes;
            await Eventually.TrueAsync(() => watchdog.Probes >= probes + 3, "three more probes ran", 30_000);

            Assert.Equal(sent, watchdog.Pings);
            Assert.Equal(sent, notify.Count("WATCHDOG=1"));
            Assert.NotNull(watchdog.Failure);
        }

        var before = notify.Count("WATCHDOG=1");
        await Eventually.TrueAsync(() => notify.Count("WATCHDOG=1") >= before + 2 && watchdog.Failure is null, "pings resume once the lock is free", 30_000);
        router.Dispose();
        await Eventually.TrueAsync(() => notify.Count("STOPPING=1") == 1, "STOPPING=1 arrived");
    }

    private static Lock OwnerLock(ContainerInstanceOwner owner)
    {
        var field = typeof(ContainerInstanceOwner).GetField("_lock", BindingFlags.Instance | BindingFlags.NonPublic);
        Assert.True(field is not null, "ContainerInstanceOwner keeps its state under a Lock field named _lock");
        return Assert.IsType<Lock>(field.GetValue(owner));
    }

    /// <summary>A thread that takes the lock and keeps it until disposed, as a deadlocked lifecycle step would.</summary>
    private sealed class HeldLock : IDisposable
    {
        private readonly ManualResetEventSlim _taken = new();
        private readonly ManualResetEventSlim _release = new();
        private readonly Thread _thread;

        public HeldLock(Lock target)
        {
            _thread = new Thread(() =>
            {
                target.Enter();
                _taken.Set();
                _release.Wait();
                target.Exit();
            }) { IsBackground = true };
            _thread.Start();
            _taken.Wait();
        }

        public void Dispose()
        {
            _release.Set();
            _thread.Join();
            _taken.Dispose();
            _release.Dispose();
        }
    }

    /// <summary>Sets variables of this process for the test's lifetime and restores them after.</summary>
    private sealed class ProcessVariables : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = [];

        public ProcessVariables(Dictionary<string, string> values)
        {
            foreach (var (name, value) in values)
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
