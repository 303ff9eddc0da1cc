using System.Globalization;
using System.Net;
using Docker.DotNet.Models;
using GpuRouter.Docker;
using Router.Tests.Fixtures;

namespace Router.Tests.Docker;

/// <summary>
/// The router's Engine API client driving a second, real engine over TLS (a private dockerd with
/// <c>--tlsverify</c> on 127.0.0.1, certificates made by openssl): the same calls as on the local
/// socket, a simulator container listening on the host's address 127.0.0.2, its events in order
/// and its logs; and the handshake refused for a CA that did not sign the engine's certificate, a
/// host name the certificate does not carry, and a client certificate the engine does not trust.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class RemoteEngineTests(TlsEngine engine) : IClassFixture<TlsEngine>
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TlsEngine_VersionCreateStartListLogsEvents_AsOnTheLocalSocket()
    {
        using var client = engine.Client();
        await using var containers = new TestContainers(client);
        var version = await client.GetVersionAsync(default);
        Assert.True(version.NegotiatedApiVersion >= DockerApiVersion.Minimum, version.ToString());
        Assert.Equal("linux", version.Os);

        await using var recorder = new EventRecorder(client, new DockerEventFilters
        {
            Types = ["container"],
            Labels = containers.RunFilter,
            Since = TimeProvider.System.GetUtcNow().AddSeconds(-1),
        });
        var port = engine.ContainerPort(0);
        var (id, name) = await containers.RunAsync(SimSpec(port));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () => await AnswersAsync(http, $"http://{TlsEngine.Address}:{port}/health"), "the simulator answers on 127.0.0.2", 60_000);
        Assert.False(await AnswersAsync(http, $"http://127.0.0.1:{port}/health"), "the container listens on the host's address, not on 127.0.0.1");
        Assert.Equal([id], (await client.ListContainersAsync(containers.RunFilter, all: false, default)).Select(c => c.ID));
        Assert.Equal("", (await DockerCli.RunAsync("ps", "-aq", "--filter", $"name={name}")).Trim());
        Assert.Contains($"on http://{TlsEngine.Address}:{port}", await client.GetLogsTailAsync(id, 20, default), StringComparison.Ordinal);

        Assert.True(await client.StopContainerAsync(id, TimeSpan.FromSeconds(10), default));
        var events = await recorder.WaitForAsync(seen => seen.Any(e => e.Action == "die"), EventTimeout);

        var ours = events.Where(e => e.ActorId == id).Select(e => e.Action).ToList();
        Assert.True(ours.IndexOf("create") < ours.IndexOf("start") && ours.IndexOf("start") < ours.IndexOf("die"), string.Join(",", ours));
        Assert.Equal(name, events.First(e => e.Action == "die").Name);
        Assert.Equal(0, await client.WaitContainerAsync(id, default));
    }

    [Fact]
    public async Task WrongCa_HandshakeRefused_ErrorNamesTheCaFile()
    {
        using var client = engine.Client(engine.Pki.ClientFiles with { Ca = engine.Pki.OtherCa });

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(default));

        Assert.Equal(engine.Endpoint, error.Endpoint);
        Assert.Contains("the TLS handshake failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("errors in the certificate chain", error.Message, StringComparison.Ordinal);
        Assert.Contains($"signed by the CA in {engine.Pki.OtherCa}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostNameNotInTheCertificate_HandshakeRefused()
    {
        // Same engine, same CA: the certificate names IP:127.0.0.1, not "localhost".
        var endpoint = engine.Endpoint.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        using var client = engine.Client(endpoint: endpoint);

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(default));

        Assert.Contains("the TLS handshake failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("RemoteCertificateNameMismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCertificateOfAnotherCa_EngineRefusesTheRouter()
    {
        using var client = engine.Client(new DockerTlsFiles(engine.Pki.Ca, engine.Pki.StrangerCert, engine.Pki.StrangerKey));

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.GetVersionAsync(default));

        // TLS 1.3: the client's side of the handshake is done before the engine checks the
        // certificate, so the refusal arrives with the first request, as a reset or as an alert.
        Assert.Equal(engine.Endpoint, error.Endpoint);
        Assert.Contains("refused the router's client certificate", error.Message, StringComparison.Ordinal);
    }

    private static CreateContainerParameters SimSpec(int port) => new()
    {
        Image = SimImage.Name,
        Cmd = ["sim/remote", "--host", TlsEngine.Address, "--port", port.ToString(CultureInfo.InvariantCulture)],
        HostConfig = new HostConfig { NetworkMode = "host", RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No } },
    };

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
