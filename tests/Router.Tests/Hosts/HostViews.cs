using GpuRouter.Hosts;
using Microsoft.Extensions.DependencyInjection;
using Router.Tests.Gpu;

namespace Router.Tests.Hosts;

/// <summary>
/// A router with a GPU host besides this one (dgx, two GPUs: 80 GiB and one of unknown memory), two
/// local GPUs under a fake NVML, and one instance per place: an endpoint, a Docker-managed one on
/// local GPU 1, and llama405_dgx on dgx's GPUs 0 and 1 (moved there after the start-up check, see
/// <see cref="MoveToHost"/>). Docker is a closed port: nothing is ever started, reservations are
/// made on GpuPlacement directly.
/// </summary>
internal sealed class HostViews : IAsyncDisposable
{
    public const long Mib = 1024 * 1024;
    public const long Gib = 1024 * Mib;
    public const string LocalEngine = "tcp://127.0.0.1:9";
    public const string DgxEngine = "tcp://dgx.tailnet:2376";

    private readonly string _dir = Directory.CreateTempSubdirectory("host-views-").FullName;
    private readonly FakeNvml _nvml = new("count=2", "gpu0.used_mib=1200", "gpu0.util=37", "gpu0.temp=61", "gpu1.used_mib=3000");

    public HostViews()
    {
        foreach (var name in new[] { "ca.pem", "cert.pem", "key.pem" }) File.WriteAllText(Path.Combine(_dir, name), "");
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
                tls: { ca: {{_dir}}/ca.pem, cert: {{_dir}}/cert.pem, key: {{_dir}}/key.pem }
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
                  - { name: llama405_dgx, gpus: [0, 1], gpuMemoryUtilization: 0.9, skipMemoryCheck: true }
            """, MoveToHost.Instances("dgx", "llama405_dgx"));
    }

    public RouterFactory Router { get; }

    public HostStatusBoard Board => Router.Services.GetRequiredService<HostStatusBoard>();

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        _nvml.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
