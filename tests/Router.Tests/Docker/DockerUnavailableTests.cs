using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GpuRouter.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Router.Tests.Docker;

/// <summary>Failures of the transport itself, against endpoints that are missing, closed or silent.</summary>
public sealed class DockerUnavailableTests
{
    // Not a speed claim: a failure that waited for a connect or request timeout would take at least this long.
    private static readonly TimeSpan OtherTimeouts = TimeSpan.FromSeconds(20);

    private static DockerClient Client(string endpoint, TimeSpan? requestTimeout = null) =>
        new(
            new DockerOptions { Endpoint = endpoint, ConnectTimeout = OtherTimeouts, RequestTimeout = requestTimeout ?? OtherTimeouts },
            TimeProvider.System,
            NullLogger<DockerClient>.Instance);

    [Fact]
    public async Task Ping_UnixSocketPathMissing_ThrowsUnavailableNamingEndpoint()
    {
        var endpoint = $"unix:///tmp/gpu-router-test-{Guid.NewGuid():N}.sock";
        using var client = Client(endpoint);

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(default));

        Assert.True(stopwatch.Elapsed < OtherTimeouts, $"took {stopwatch.Elapsed}: it waited for a timeout");
        Assert.Equal(endpoint, error.Endpoint);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
        Assert.Contains("there is no socket at /tmp/gpu-router-test-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectContainer_TcpPortClosed_ThrowsUnavailableQuickly()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var endpoint = $"tcp://127.0.0.1:{port}";
        using var client = Client(endpoint);

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.InspectContainerAsync("anything", default));

        Assert.True(stopwatch.Elapsed < OtherTimeouts, $"took {stopwatch.Elapsed}: it waited for a timeout");
        Assert.Equal(endpoint, error.Endpoint);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ping_DaemonSilent_ThrowsUnavailableAfterRequestTimeout()
    {
        await using var daemon = new FakeDockerDaemon(_ => null);
        using var client = Client(daemon.Endpoint, TimeSpan.FromMilliseconds(300));

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.PingAsync(default));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), OtherTimeouts);
        Assert.Contains("did not answer GET /_ping within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_CallerCancels_ThrowsOperationCanceledNotUnavailable()
    {
        await using var daemon = new FakeDockerDaemon(_ => null);
        using var client = Client(daemon.Endpoint);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PingAsync(cancel.Token));

        Assert.IsNotType<DockerUnavailableException>(error);
    }

    [Fact]
    public async Task Ping_PlainTextError_MessageIsTheBodyText()
    {
        await using var daemon = new FakeDockerDaemon(_ => FakeDockerDaemon.Text(500, "daemon is shutting down\n"));
        using var client = Client(daemon.Endpoint);

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.PingAsync(default));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("daemon is shutting down", error.DaemonMessage);
        Assert.Equal("GET /_ping", error.Request);
    }

    [Fact]
    public async Task InspectContainer_NewerDaemon_PathsUseCappedVersion()
    {
        await using var daemon = new FakeDockerDaemon(line => line.StartsWith("GET /version ", StringComparison.Ordinal)
            ? FakeDockerDaemon.Json(200, """{"Version":"99.0","ApiVersion":"1.52","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}""")
            : FakeDockerDaemon.Json(404, """{"message":"No such container: x"}"""));
        using var client = Client(daemon.Endpoint);

        Assert.Null(await client.InspectContainerAsync("x", default));
        Assert.Null(await client.InspectImageAsync("vllm/vllm-openai:v0.9", default));

        Assert.Equal(
            ["GET /version HTTP/1.1", "GET /v1.47/containers/x/json HTTP/1.1", "GET /v1.47/images/vllm/vllm-openai:v0.9/json HTTP/1.1"],
            daemon.Requests);
    }

    [Fact]
    public async Task GetVersion_DaemonOlderThan141_RefusesClearly()
    {
        await using var daemon = new FakeDockerDaemon(_ =>
            FakeDockerDaemon.Json(200, """{"Version":"19.03.15","ApiVersion":"1.40","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"""));
        using var client = Client(daemon.Endpoint);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => client.StartContainerAsync("x", default));

        Assert.Contains("1.40", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 1.41", error.Message, StringComparison.Ordinal);
        Assert.Contains(daemon.Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Single(daemon.Requests);
    }

    [Fact]
    public async Task Events_DaemonDropsConnection_EventsDeliveredThenUnavailable()
    {
        const string dieEvent = """{"Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"1"}},"time":1,"timeNano":1000000000}""" + "\n";
        // One chunk and no terminating zero-length chunk: the connection closes mid-stream.
        var truncated = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + $"{Encoding.UTF8.GetByteCount(dieEvent):x}\r\n{dieEvent}\r\n";
        await using var daemon = new FakeDockerDaemon(line => line.StartsWith("GET /version ", StringComparison.Ordinal)
            ? FakeDockerDaemon.Json(200, """{"Version":"20.10.24","ApiVersion":"1.41","Os":"linux","Arch":"amd64"}""")
            : truncated);
        using var client = Client(daemon.Endpoint);
        var seen = new List<DockerEvent>();

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(async () =>
        {
            await foreach (var dockerEvent in client.EventsAsync(new DockerEventFilters(), default))
            {
                seen.Add(dockerEvent);
            }
        });

        Assert.Equal(1, Assert.Single(seen).ExitCode);
        Assert.Contains("broke during GET /v1.41/events", error.Message, StringComparison.Ordinal);
    }
}
