using GpuRouter.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Router.Tests.Fixtures;

/// <summary>
/// A second Docker engine for one test class, as a remote GPU host's would be: a
/// <see cref="PrivateDockerd"/> that also listens on <c>tcp://127.0.0.1:PORT</c> with
/// <c>--tlsverify</c> (its certificate from <see cref="TestPki"/>, clients' certificates checked
/// against the test CA), with the simulator image loaded into it. Its containers use the host
/// network and listen on 127.0.0.2, the host's <c>address</c>, on ports of
/// <see cref="ContainerPort"/>; the engine's own port and those come from one <see cref="PortBlock"/>.
/// </summary>
public sealed class TlsEngine : IAsyncLifetime
{
    /// <summary>Where the containers listen: loopback, but not 127.0.0.1, so a client that assumes 127.0.0.1 fails.</summary>
    public const string Address = "127.0.0.2";

    private PrivateDockerd? _dockerd;
    private TestPki? _pki;
    private PortBlock? _ports;

    internal PrivateDockerd Dockerd => _dockerd ?? throw new InvalidOperationException("The TLS dockerd did not start.");

    internal TestPki Pki => _pki ?? throw new InvalidOperationException("The certificates were not made.");

    /// <summary>The engine's TLS endpoint, as a host's <c>docker</c> key gives it.</summary>
    public string Endpoint => $"tcp://127.0.0.1:{Ports.FirstPort}";

    private PortBlock Ports => _ports ?? throw new InvalidOperationException("No ports were taken.");

    /// <summary>A port for a container (0 to 8), reserved against other test processes.</summary>
    public int ContainerPort(int index) =>
        index is >= 0 and < 9 ? Ports.FirstPort + 1 + index : throw new ArgumentOutOfRangeException(nameof(index));

    public async Task InitializeAsync()
    {
        await SimImage.EnsureBuiltAsync();
        _pki = await TestPki.CreateAsync();
        _ports = PortBlock.Take();
        _dockerd = await PrivateDockerd.StartAsync(
        [
            "--tlsverify", "--tlscacert", _pki.Ca, "--tlscert", _pki.ServerCert, "--tlskey", _pki.ServerKey,
            "--host", Endpoint,
        ]);
        // Copied by its content-hash tag, then tagged :dev there, so the engine runs this tree's simulator.
        var current = await SimImage.CurrentHashTagAsync();
        await _dockerd.LoadImageAsync(current);
        await DockerCli.RunOnAsync(_dockerd.Endpoint, "tag", current, SimImage.Name);
    }

    /// <summary>The router's client of this engine over TLS, with <paramref name="tls"/> instead of the right files if given.</summary>
    internal DockerEngineClient Client(DockerTlsFiles? tls = null, string? endpoint = null) =>
        RemoteDocker.Connect(
            new RemoteDockerOptions
            {
                Key = "hosts[0]",
                Endpoint = endpoint ?? Endpoint,
                Tls = tls ?? Pki.ClientFiles,
                RequestTimeout = TimeSpan.FromSeconds(30),
            },
            TimeProvider.System,
            NullLogger<DockerEngineClient>.Instance);

    public async Task DisposeAsync()
    {
        if (_dockerd is not null) await _dockerd.DisposeAsync();
        _ports?.Dispose();
        _pki?.Dispose();
    }
}
