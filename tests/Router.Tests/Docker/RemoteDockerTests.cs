using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GpuRouter.Docker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Router.Tests.Docker;

/// <summary>
/// A remote engine's client before any engine answers: TLS is required, its files are read once
/// and each problem named with its key and file, and a port that does not speak TLS (closed,
/// silent, plain HTTP) fails as <see cref="DockerUnavailableException"/> with the reason.
/// Certificates are real, made with openssl.
/// </summary>
public sealed class RemoteDockerTests : IAsyncLifetime
{
    private static readonly TimeSpan OtherTimeouts = TimeSpan.FromSeconds(20);
    private TestPki _pki = null!;

    public async Task InitializeAsync() => _pki = await TestPki.CreateAsync();

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    private RemoteDockerOptions Options(string endpoint, DockerTlsFiles? tls = null, TimeSpan? requestTimeout = null) => new()
    {
        Key = "hosts[1]",
        Endpoint = endpoint,
        Tls = tls ?? _pki.ClientFiles,
        ConnectTimeout = OtherTimeouts,
        RequestTimeout = requestTimeout ?? OtherTimeouts,
    };

    private static DockerEngineClient Connect(RemoteDockerOptions options, TimeProvider? time = null) =>
        RemoteDocker.Connect(options, time ?? TimeProvider.System, NullLogger<DockerEngineClient>.Instance);

    [Fact]
    public void Connect_PlainTcpWithoutTls_RefusedWithTheReason()
    {
        var options = Options("tcp://10.0.0.5:2375");
        options.Tls = null;

        var error = Assert.Throws<OptionsValidationException>(() => Connect(options));

        var message = Assert.Single(error.Failures);
        Assert.StartsWith("hosts[1].tls: is required", message, StringComparison.Ordinal);
        Assert.Contains("only over TLS", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://10.0.0.5:2375", "is plain HTTP, refused")]
    [InlineData("unix:///var/run/docker.sock", "is a socket on this machine")]
    [InlineData("tcp://", "is not a remote engine endpoint")]
    [InlineData("tcp://dgx:2376/v1.41", "is not a remote engine endpoint")]
    public void Connect_EndpointNotTls_RefusedNamingTheKey(string endpoint, string reason)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Connect(Options(endpoint)));

        var message = Assert.Single(error.Failures);
        Assert.StartsWith($"hosts[1].docker: '{endpoint}' ", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://dgx.tailnet", "https://dgx.tailnet:2376/")]
    [InlineData("tcp://10.0.0.5:12376", "https://10.0.0.5:12376/")]
    [InlineData("https://dgx:2376", "https://dgx:2376/")]
    public void Connect_TcpEndpoint_BuiltAsHttpsOnDockersTlsPort(string endpoint, string expected)
    {
        Assert.True(DockerEndpoint.TryParseTls(endpoint, "hosts[0].docker", out var parsed, out _));
        using var tls = DockerTls.Load(_pki.ClientFiles, "hosts[0].tls");
        using var package = DockerConnection.Build(parsed with { Tls = tls }, null, OtherTimeouts);
        using var client = Connect(Options(endpoint));

        Assert.Equal(expected, package.Options.Endpoint.ToString());
        Assert.Equal(endpoint, client.Endpoint);
    }

    [Fact]
    public void Connect_CertAndKeyMissing_BothNamedWithTheirFiles()
    {
        var cert = _pki.File("missing-cert.pem");
        var key = _pki.File("missing-key.pem");

        var error = Assert.Throws<DockerTlsException>(() => Connect(Options("tcp://127.0.0.1:2376", new DockerTlsFiles(_pki.Ca, cert, key))));

        Assert.Equal([$"hosts[1].tls.cert: {cert}: no such file", $"hosts[1].tls.key: {key}: no such file"], error.Errors);
    }

    [Fact]
    public void Connect_KeyOfAnotherCertificate_NamesTheKeyFile()
    {
        var files = new DockerTlsFiles(_pki.Ca, _pki.ClientCert, _pki.StrangerKey);

        var error = Assert.Throws<DockerTlsException>(() => Connect(Options("tcp://127.0.0.1:2376", files)));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith($"hosts[1].tls.key: {_pki.StrangerKey}: not the PEM private key of {_pki.ClientCert}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_KeyFileHoldsACertificate_NamesTheKeyFile()
    {
        var files = new DockerTlsFiles(_pki.Ca, _pki.ClientCert, _pki.ClientCert);

        var error = Assert.Throws<DockerTlsException>(() => Connect(Options("tcp://127.0.0.1:2376", files)));

        Assert.StartsWith($"hosts[1].tls.key: {_pki.ClientCert}: holds no PEM private key", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_CaNotACertificateAndCertIsAKey_EachNamed()
    {
        var notPem = _pki.File("not-pem.txt");
        await File.WriteAllTextAsync(notPem, "this is not a certificate\n");
        var files = new DockerTlsFiles(notPem, _pki.ClientKey, _pki.ClientKey);

        var error = Assert.Throws<DockerTlsException>(() => Connect(Options("tcp://127.0.0.1:2376", files)));

        Assert.Equal(2, error.Errors.Count);
        Assert.StartsWith($"hosts[1].tls.ca: {notPem}: holds no certificate", error.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"hosts[1].tls.cert: {_pki.ClientKey}: not a PEM certificate", error.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_PortClosed_UnavailableQuickly()
    {
        var endpoint = $"tcp://127.0.0.1:{ClosedPort()}";
        using var client = Connect(Options(endpoint));

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(default));

        Assert.True(stopwatch.Elapsed < OtherTimeouts, $"took {stopwatch.Elapsed}: it waited for a timeout");
        Assert.Equal(endpoint, error.Endpoint);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ping_PlainHttpServerOnThePort_HandshakeFailsNothingSentInPlain()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var received = AnswerOnceAsync(listener, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var client = Connect(Options($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(default));

        Assert.Contains("the TLS handshake failed", error.Message, StringComparison.Ordinal);
        Assert.Contains(_pki.Ca, error.Message, StringComparison.Ordinal);
        // A TLS record (0x16, handshake), not "GET /_ping": the request never went out in plain.
        Assert.Equal(0x16, (await received)[0]);
    }

    [Fact]
    public async Task Ping_SilentTlsPort_TimesOutOnTheInjectedClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var received = AnswerOnceAsync(listener, answer: null);
        using var client = Connect(Options($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", requestTimeout: TimeSpan.FromSeconds(30)), clock);

        var ping = client.PingAsync(default);
        await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ping.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => ping.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("did not answer GET /_ping within 30 s", error.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Accepts one connection, hands back the first bytes the client sent, then answers with
    // `answer` and closes, or (null) holds the connection silent until the listener goes.
    private static async Task<byte[]> AnswerOnceAsync(TcpListener listener, string? answer)
    {
        var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[4096];
        var read = await socket.ReceiveAsync(buffer);
        if (answer is not null)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(answer));
            socket.Dispose();
        }

        return buffer[..read];
    }
}
