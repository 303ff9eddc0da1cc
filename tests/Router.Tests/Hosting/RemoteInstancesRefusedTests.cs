using GpuRouter.Cli;
using GpuRouter.Configuration;
using GpuRouter.Hosting;
using Router.Tests.Cli;

namespace Router.Tests.Hosting;

/// <summary>
/// Until remote hosts are wired (issue 17 part two), a config that places an instance on a host is
/// refused at start-up and by check-config, naming the instance and what to do meanwhile, instead
/// of that instance silently running on the local engine. The loader alone still accepts it.
/// </summary>
public sealed class RemoteInstancesRefusedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remote-refused-").FullName;

    public RemoteInstancesRefusedTests()
    {
        foreach (var name in new[] { "ca.pem", "cert.pem", "key.pem" }) File.WriteAllText(Path.Combine(_dir, name), "");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Hosts => $$"""
        hosts:
          - name: dgx
            docker: tcp://dgx.tailnet:2376
            tls: { ca: {{_dir}}/ca.pem, cert: {{_dir}}/cert.pem, key: {{_dir}}/key.pem }
            address: dgx.tailnet
            gpus: [ { index: 0, memory: 80GiB } ]
        """;

    private string Write(string models)
    {
        var path = Path.Combine(_dir, "router.yaml");
        File.WriteAllText(path, Hosts + "\n" + models);
        return path;
    }

    private const string OnTheHost = """
        models:
          - name: llama-405b
            hfModel: meta-llama/Llama-3.1-405B-Instruct-FP8
            instances:
              - { name: llama405_dgx, host: dgx, gpus: [0] }
          - name: local
            instances:
              - { name: local_0, gpus: [0], endpoint: "http://127.0.0.1:9/" }
        """;

    [Fact]
    public async Task CheckConfig_InstanceOnAHost_ExitTwo_NamingTheInstanceAndTheEndpointWayForNow()
    {
        var result = await new CliRunner().RunAsync("check-config", Write(OnTheHost));

        Assert.Equal(ExitCodes.Usage, result.Code);
        var error = Assert.Single(result.Error.Split('\n'), l => l.Contains("instances[].host", StringComparison.Ordinal));
        Assert.Contains("instances on another host (llama405_dgx on 'dgx') are not started by this version yet", error, StringComparison.Ordinal);
        Assert.Contains("serve it as an endpoint instance of llama-405b (endpoint: http://dgx.tailnet:PORT/v1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("local_0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_HostsDeclared_NoInstanceOnThem_IsValid()
    {
        var result = await new CliRunner().RunAsync("check-config", Write("""
            models:
              - name: local
                instances:
                  - { name: local_0, gpus: [0], endpoint: "http://127.0.0.1:9/" }
            """));

        Assert.Equal(ExitCodes.Ok, result.Code);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Loader_WithoutTheStartupChecks_StillReadsTheInstanceOnItsHost()
    {
        var config = ConfigLoader.LoadFile(Write(OnTheHost));

        Assert.Equal(["dgx", null], config.Instances.Select(i => i.Host));
        var refused = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(Write(OnTheHost), checks: RouterHostingExtensions.StartupChecks));
        Assert.Single(refused.Errors);
    }

    [Fact]
    public async Task Daemon_InstanceOnAHost_RefusesToStart_ExitTwo_WithTheReason()
    {
        await using var router = RouterProcess.Start(Write(OnTheHost), new Dictionary<string, string>());

        Assert.Equal(2, await router.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("instances on another host (llama405_dgx on 'dgx') are not started by this version yet", router.OutputTail, StringComparison.Ordinal);
        Assert.Contains("as an endpoint instance of llama-405b", router.OutputTail, StringComparison.Ordinal);
    }
}
