using GpuRouter.Configuration;
using GpuRouter.Hosting;

namespace Router.Tests.Hosts;

/// <summary>A config with one remote host <c>dgx</c> (TLS files present but unread: the loader only checks they exist) and the models given.</summary>
internal sealed class RemoteHostConfig : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remote-host-config-").FullName;

    public RemoteHostConfig()
    {
        foreach (var name in new[] { "ca.pem", "cert.pem", "key.pem" }) File.WriteAllText(Path.Combine(_dir, name), "");
    }

    public string Hosts(string extra = "") => $$"""
        hosts:
          - name: dgx
            docker: tcp://dgx.tailnet:2376
            tls: { ca: {{_dir}}/ca.pem, cert: {{_dir}}/cert.pem, key: {{_dir}}/key.pem }
            address: dgx.tailnet
            gpus: [ { index: 0, memory: 80GiB }, { index: 1, memory: 80GiB } ]
            {{extra}}
        """;

    public RouterConfig Load(string rest, string hostExtra = "") => ConfigLoader.Load(Hosts(hostExtra) + "\n" + rest, "test.yaml", _ => null);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
