using GpuRouter.Hosts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Router.Tests.Gpu;

namespace Router.Tests.Hosts;

/// <summary>
/// A router with a GPU host besides this one (dgx, two GPUs: 80 GiB and one of unknown memory), two
/// local GPUs under a fake NVML, and one instance per place: an endpoint, a Docker-managed one on
/// local GPU 1, and llama405_dgx on dgx's GPUs 0 and 1. Docker is a closed port: nothing is ever started, reservations are
/// made on GpuPlacement directly. dgx's TLS files are real (the start-up check reads them) and
/// every engine's adoption and events watcher are left out (<see cref="WithoutEngineWatch"/>), so
/// the tests alone say whether an engine is reachable and nothing looks up <c>dgx.tailnet</c>.
/// </summary>
internal sealed class HostViews : IAsyncDisposable
{
    public const long Mib = 1024 * 1024;
    public const long Gib = 1024 * Mib;
    public const string LocalEngine = "tcp://127.0.0.1:9";
    public const string DgxEngine = "tcp://dgx.tailnet:2376";

    // Task.Run: openssl runs as child processes, awaited off the test's synchronization context.
    private readonly TestPki _pki = Task.Run(TestPki.CreateAsync).GetAwaiter().GetResult();
    private readonly FakeNvml _nvml = new("count=2", "gpu0.used_mib=1200", "gpu0.util=37", "gpu0.temp=61", "gpu1.used_mib=3000");

    public HostViews()
    {
        Router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            docker: { endpoint: "{{LocalEngine}}" }
            gpus:
              - { index: 0, role: long-context }
              - { index: 1, role: throughput }
            nvml: { library: "{{_nvml.LibraryPath}}", pollInterval: 50ms }
            hosts:
              - name: dgx
                docker: {{DgxEngine}}
                tls: { ca: {{_pki.Ca}}, cert: {{_pki.ClientCert}}, key: {{_pki.ClientKey}} }
                address: dgx.tailnet
                gpus: [ { index: 0, role: big, memory: 80GiB }, { index: 1 } ]
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:9", maxModelLen: 8192 }
              - name: bge-m3
                kind: embedding
                image: {{DockerCli.SimImage}}
                hfModel: BAAI/bge-m3
                instances:
                  - { name: bge_m3_1, gpus: [1], gpuMemoryUtilization: 0.15 }
              - name: llama-405b
                image: {{DockerCli.SimImage}}
                hfModel: meta-llama/Llama-3.1-405B-Instruct-FP8
                instances:
                  - { name: llama405_dgx, host: dgx, gpus: [0, 1], gpuMemoryUtilization: 0.9, skipMemoryCheck: true }
            """, WithoutEngineWatch);
    }

    public RouterFactory Router { get; }

    public HostStatusBoard Board => Router.Services.GetRequiredService<HostStatusBoard>();

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        _nvml.Dispose();
        _pki.Dispose();
    }

    /// <summary>
    /// Leaves out every engine's adoption and events watcher: the hosted services Lifecycle
    /// registers one pair per engine, each closing over its host's name.
    /// </summary>
    public static void WithoutEngineWatch(IServiceCollection services)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(IHostedService) && PerEngine(d.ImplementationFactory)).ToList())
            services.Remove(d);
    }

    private static bool PerEngine(Delegate? factory) =>
        factory?.Target is { } target
        && target.GetType().DeclaringType?.Name == "LifecycleServiceCollectionExtensions"
        && target.GetType().GetFields().Any(f => f is { FieldType.Name: "String", Name: "name" });
}
