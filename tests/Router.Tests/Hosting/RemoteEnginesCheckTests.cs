using GpuRouter.Cli;
using GpuRouter.Configuration;
using GpuRouter.Hosting;
using Router.Tests.Cli;

namespace Router.Tests.Hosting;

/// <summary>
/// A remote host's TLS files are read at start-up and by check-config as its engine client will
/// read them: a file that cannot serve (not PEM, a key that is not the certificate's) stops the
/// router with exit 2, naming the key and the file, instead of a host that stays unreachable.
/// Instances on a host are accepted (issue 17 part two wired them).
/// </summary>
public sealed class RemoteEnginesCheckTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remote-engines-").FullName;
    private TestPki _pki = null!;

    public async Task InitializeAsync() => _pki = await TestPki.CreateAsync();

    public Task DisposeAsync()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private string Config(string ca, string cert, string key) => Write($$"""
        hosts:
          - name: dgx
            docker: tcp://127.0.0.1:9
            tls: { ca: {{ca}}, cert: {{cert}}, key: {{key}} }
            address: 127.0.0.2
            gpus: [ { index: 0, memory: 80GiB } ]
        models:
          - name: llama-405b
            hfModel: meta-llama/Llama-3.1-405B-Instruct-FP8
            instances:
              - { name: llama405_dgx, host: dgx, gpus: [0], skipMemoryCheck: true }
        """);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "router.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private string Empty(string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public async Task CheckConfig_InstanceOnAHostWithUsableTls_IsValid()
    {
        var result = await new CliRunner().RunAsync("check-config", Config(_pki.Ca, _pki.ClientCert, _pki.ClientKey));

        Assert.Equal("", result.Error);
        Assert.Equal(ExitCodes.Ok, result.Code);
    }

    [Fact]
    public async Task CheckConfig_TlsFilesThatAreNotPem_ExitTwo_NamingEachKeyAndFile()
    {
        var result = await new CliRunner().RunAsync("check-config", Config(Empty("ca.pem"), _pki.ClientCert, _pki.StrangerKey));

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Contains("hosts[0].tls.ca", result.Error, StringComparison.Ordinal);
        Assert.Contains("ca.pem", result.Error, StringComparison.Ordinal);
        Assert.Contains("hosts[0].tls.key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_ReadsTheInstanceOnItsHost_AndTheStartupChecksPassIt()
    {
        var config = ConfigLoader.LoadFile(Config(_pki.Ca, _pki.ClientCert, _pki.ClientKey), checks: RouterHostingExtensions.StartupChecks);

        Assert.Equal(["dgx"], config.Instances.Select(i => i.Host));
    }

    [Fact]
    public async Task Daemon_HostWithUnusableTls_RefusesToStart_ExitTwo_WithTheReason()
    {
        await using var router = RouterProcess.Start(Config(_pki.Ca, _pki.ClientCert, _pki.StrangerKey), new Dictionary<string, string>());

        Assert.Equal(2, await router.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("hosts[0].tls.key", router.OutputTail, StringComparison.Ordinal);
    }
}
