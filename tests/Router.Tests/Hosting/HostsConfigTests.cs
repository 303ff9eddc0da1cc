using GpuRouter.Configuration;
using GpuRouter.Hosting;

namespace Router.Tests.Hosting;

/// <summary>
/// <c>hosts:</c> and an instance's <c>host</c>: a remote engine is TLS only, its files must exist
/// (relative paths from the launch directory), GPU indices are per host, and every mistake is
/// reported at once naming its key.
/// </summary>
public sealed class HostsConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hosts-config-").FullName;

    public HostsConfigTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "dgx"));
        foreach (var name in new[] { "ca.pem", "cert.pem", "key.pem" }) File.WriteAllText(Path.Combine(_dir, "dgx", name), "");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RouterConfig Load(string yaml) => ConfigLoader.Load(yaml, "test.yaml", _ => null, launchDirectory: _dir);

    private const string Tls = "tls: { ca: dgx/ca.pem, cert: dgx/cert.pem, key: dgx/key.pem }";

    [Fact]
    public void Load_HostAndAnInstanceOnIt_TypedWithDefaultsAndAbsoluteTlsPaths()
    {
        var s = Load($$"""
            hosts:
              - name: dgx
                docker: tcp://dgx.tailnet:2376
                {{Tls}}
                address: dgx.tailnet
                network: host
                gpus: [ { index: 0 }, { index: 3, role: big, memory: 80GiB } ]
                hfCache: /srv/hf-cache
                memoryBudget: 200GiB
            models:
              - name: llama-405b
                hfModel: meta-llama/Llama-3.1-405B-Instruct-FP8
                instances:
                  - { name: llama405_dgx, host: dgx, gpus: [0, 3] }
                  - { name: llama405_local, gpus: [0, 1] }
            """);

        var host = Assert.Single(s.Hosts.Hosts);
        Assert.Same(host, s.Hosts.Find("dgx"));
        Assert.Equal("tcp://dgx.tailnet:2376", host.Docker);
        Assert.Equal(Path.Combine(_dir, "dgx", "ca.pem"), host.Tls.Ca);
        Assert.Equal(Path.Combine(_dir, "dgx", "key.pem"), host.Tls.Key);
        Assert.Equal("dgx.tailnet", host.Address);
        Assert.Null(host.Bind);
        Assert.Equal((18000, 18999), (host.PortFirst, host.PortLast));
        Assert.Equal([0, 3], host.Gpus.Select(g => g.Index));
        Assert.Equal(80L << 30, host.Gpus[1].MemoryBytes);
        Assert.Equal("host", host.Network);
        Assert.True(host.NvidiaGpus);
        Assert.Equal(200L << 30, host.MemoryBudgetBytes);
        Assert.Equal(["dgx", null], s.Instances.Select(i => i.Host));
    }

    [Fact]
    public void Load_NoHosts_InstancesStayOnTheLocalEngine()
    {
        var s = Load("models: [{ name: m, hfModel: x, instances: [{ name: m_0, gpus: [0] }] }]");

        Assert.Empty(s.Hosts.Hosts);
        Assert.Null(Assert.Single(s.Instances).Host);
    }

    [Fact]
    public void Load_PlainTcpEndpointWithoutTls_RefusedWithTheReason()
    {
        var e = Assert.Throws<ConfigException>(() => Load("""
            hosts: [ { name: dgx, docker: "tcp://dgx:2375", address: dgx, network: host, gpus: [ { index: 0 } ] } ]
            """));

        var error = Assert.Single(e.Errors);
        Assert.StartsWith("hosts[0].tls: is required: a remote engine is spoken to only over TLS", error, StringComparison.Ordinal);
        Assert.Contains("root on that host", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HostsAndInstancesWithEveryMistake_ReportsEachNamingItsKey()
    {
        var e = Assert.Throws<ConfigException>(() => Load($$"""
            hosts:
              - { name: dgx, docker: "http://dgx:2375", tls: { ca: dgx/ca.pem, cert: missing/cert.pem }, address: 127.0.0.1, bind: dgx.tailnet,
                  portRange: "19000-18000", gpus: [ { index: 0 }, { index: 0 } ], network: llm_net, gpuAccess: amd, hfCache: cache/hf, memoryBudget: lots }
              - { name: dgx, docker: "tcp://dgx2", {{Tls}}, address: dgx2, network: host, gpus: [ { index: 0 } ] }
              - { name: local, docker: "unix:///var/run/docker.sock", {{Tls}}, address: "10.0.0.9", gpus: [] }
              - { name: box3, docker: "tcp://box3", {{Tls}}, address: box3.tailnet, gpus: [ { index: 0 } ] }
            models:
              - name: m
                hfModel: x
                instances:
                  - { name: m_a, host: nowhere, gpus: [0] }
                  - { name: m_b, host: box3, gpus: [1] }
                  - { name: m_d, host: dgx, gpus: [7] }   # dgx has errors of its own: nothing more here
                  - { name: m_c, host: box3, endpoint: "http://box3:8000" }
            """));

        string[] expected =
        [
            "hosts[0].docker: 'http://dgx:2375' is plain HTTP, refused",
            "hosts[0].tls.cert: " + Path.Combine(_dir, "missing", "cert.pem") + ": no such file",
            "hosts[0].tls.key: is required",
            "hosts[0].address: '127.0.0.1' is this machine",
            "hosts[0].bind: 'dgx.tailnet' is not an IP address",
            "hosts[0].portRange: '19000-18000'",
            "hosts[0].gpus[1].index: GPU 0 is listed twice",
            "hosts[0].network: 'llm_net' is not host or omitted",
            "hosts[0].gpuAccess: 'amd'",
            "hosts[0].hfCache: 'cache/hf' is a relative path",
            "hosts[0].memoryBudget: 'lots'",
            "hosts[1].name: 'dgx' is used by another host",
            "hosts[2].name: 'local' stands for this machine's engine",
            "hosts[2].docker: 'unix:///var/run/docker.sock' is a socket on this machine",
            "hosts[2].gpus: at least one GPU is required",
            "models[0].instances[0].host: 'nowhere' is not a host in hosts (hosts: dgx, local, box3)",
            "models[0].instances[1].gpus: GPU 1 is not in the gpus of host 'box3'",
            "models[0].instances[3].host: an instance with an endpoint is never started",
        ];
        foreach (var key in expected) Assert.True(e.Errors.Any(m => m.StartsWith(key, StringComparison.Ordinal)), key + " in:\n" + string.Join("\n", e.Errors));
        Assert.Equal(expected.Length, e.Errors.Count);
    }

    [Fact]
    public void Load_InstanceGpusAreTheHostsIndices()
    {
        var e = Assert.Throws<ConfigException>(() => Load($$"""
            hosts: [ { name: dgx, docker: "tcp://dgx:2376", {{Tls}}, address: 100.64.0.7, gpus: [ { index: 0 }, { index: 5 } ] } ]
            models:
              - name: m
                hfModel: x
                instances:
                  - { name: m_dgx, host: dgx, gpus: [5, 1] }
                  - { name: m_local, gpus: [5] }
            """));

        Assert.Equal(
            ["models[0].instances[0].gpus: GPU 1 is not in the gpus of host 'dgx'", "models[0].instances[1].gpus: GPU 5 is not in gpus"],
            e.Errors);
    }

    [Fact]
    public void Load_PublishedPorts_BindDefaultsToNothing_PortRangeOwn()
    {
        var s = Load($$"""
            hosts: [ { name: dgx, docker: "tcp://100.64.0.7", {{Tls}}, address: 100.64.0.7, portRange: "20000-20099", gpus: [ { index: 0 } ] } ]
            """);

        var host = Assert.Single(s.Hosts.Hosts);
        Assert.Null(host.Network);
        Assert.Equal("100.64.0.7", host.Address);
        Assert.Equal((20000, 20099), (host.PortFirst, host.PortLast));
    }

    [Fact]
    public void Load_AlwaysBesideNight_JudgedPerHost()
    {
        // GPU 1 of the DGX is not the local GPU 1: an always-served model here fits beside a night model there.
        var s = Load($$"""
            hosts: [ { name: dgx, docker: "tcp://dgx:2376", {{Tls}}, address: dgx, network: host, gpus: [ { index: 0 }, { index: 1 } ] } ]
            models:
              - { name: emb, kind: embedding, mode: always, hfModel: e, instances: [{ name: emb_1, gpus: [1], gpuMemoryUtilization: 0.2 }] }
              - { name: big, mode: night, hfModel: q, instances: [{ name: big_dgx, host: dgx, gpus: [0, 1], gpuMemoryUtilization: 0.95 }] }
            """);

        Assert.Equal(2, s.Instances.Count());
    }
}
