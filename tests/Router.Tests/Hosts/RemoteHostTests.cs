using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Router.Tests.Fixtures;

namespace Router.Tests.Hosts;

/// <summary>
/// Instances on a second, real engine reached over TLS beside instances on the machine's engine:
/// the router starts each on its host's engine, reaches the remote one at the host's address
/// (127.0.0.2; it does not listen on 127.0.0.1, so a router using loopback fails), sends that
/// container's own API key, keeps the key out of every log line and message, and adopts the remote
/// container after a restart with the same key.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class RemoteHostTests(TlsEngine engine) : IClassFixture<TlsEngine>, IAsyncLifetime
{
    private readonly TwoEngineRouter _two = new(engine);
    private readonly LogCapture _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _two.DisposeAsync();

    private string Config() => _two.Config(
        TwoEngineRouter.Model("llama", _two.OnLocal("llama_l", gpu: 0, share: 0.5))
        + TwoEngineRouter.Model("big", _two.OnRemote("big_r", share: 0.5)));

    [Fact]
    public async Task BothEngines_EachInstanceRunsOnItsHost_RemoteOneAtTheHostAddressWithItsOwnKey_NeverLogged()
    {
        var router = _two.Start(Config(), _logs);
        using var client = router.Client(TestKeys.N8n);

        using (var local = await client.PostChatAsync(Http.Chat("llama", "hello local")))
        {
            await local.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("0", local.Header("X-Router-Gpu"));
        }
        using (var remote = await client.PostChatAsync(Http.Chat("big", "hello remote")))
        {
            await remote.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal($"{TwoEngineRouter.Host}:0", remote.Header("X-Router-Gpu"));
        }

        // Each container on its own engine only.
        Assert.Single(await _two.LocalContainersAsync("llama_l"));
        Assert.Empty(await _two.RemoteContainersAsync("llama_l"));
        Assert.Empty(await _two.LocalContainersAsync("big_r"));
        var inspect = await _two.InspectRemoteAsync(Assert.Single(await _two.RemoteContainersAsync("big_r")));
        Assert.Equal(TlsEngine.Address, TwoEngineRouter.Arg(inspect, "--host"));
        var port = int.Parse(TwoEngineRouter.Arg(inspect, "--port")!, System.Globalization.CultureInfo.InvariantCulture);
        var key = TwoEngineRouter.Arg(inspect, "--api-key");
        Assert.False(string.IsNullOrEmpty(key));
        Assert.DoesNotContain(key!, inspect.GetProperty("Config").GetProperty("Labels").GetRawText(), StringComparison.Ordinal);

        // The container answers at the host's address only, and only with its key.
        using var direct = new HttpClient { BaseAddress = new Uri($"http://{TlsEngine.Address}:{port}/") };
        using (var without = await direct.PostChatAsync(Http.Chat("big"))) Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using (var with = await direct.PostChatAsync(Http.Chat("big"))) await with.ExpectAsync(HttpStatusCode.OK);
        using var loopback = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => loopback.ConnectAsync(IPAddress.Loopback, port));

        // The client's own key never reaches the backend, and the backend's key never reaches a log or a view.
        using var admin = router.Client(TestKeys.Admin);
        var views = await admin.GetStringAsync("/admin/instances") + await admin.GetStringAsync("/health");
        Assert.DoesNotContain(key!, views, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Entries);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(key!, StringComparison.Ordinal) || (e.Exception?.ToString().Contains(key!, StringComparison.Ordinal) ?? false));
        var secret = Path.Combine(_two.Local.StateDir, "backend-keys.secret");
        // Docker engines (and so these tests) run on Linux only.
        if (OperatingSystem.IsLinux()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
    }

    [Fact]
    public async Task RemoteStartFails_OnALogLineHoldingTheKey_TheMessageShowsItHidden()
    {
        // The key is HMAC-SHA256 of the container name under state.dir's secret: made here, the
        // test knows it, and hands it to a flag the simulator refuses, quoting the value in the
        // error line the router puts in its message (as vLLM quotes what it cannot parse).
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(_two.Local.StateDir);
        await File.WriteAllBytesAsync(Path.Combine(_two.Local.StateDir, "backend-keys.secret"), secret);
        var name = _two.Name("broken_r");
        var key = "sk-router-" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(secret, System.Text.Encoding.UTF8.GetBytes(name)));
        var router = _two.Start(_two.Config(TwoEngineRouter.Model("broken", _two.OnRemote("broken_r", share: 0.5, args: $"\"--ttft-ms\", \"{key}\""))), _logs);
        using var client = router.Client(TestKeys.N8n);

        using var response = await client.PostChatAsync(Http.Chat("broken"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var message = (await Http.ErrorAsync(response)).GetProperty("message").GetString()!;
        Assert.Contains("--ttft-ms must be a number, got '[api key hidden]'", message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, message, StringComparison.Ordinal);
        // The container did get that key: the one the router derived from the same secret.
        var inspect = await _two.InspectRemoteAsync(Assert.Single(await _two.RemoteContainersAsync("broken_r")));
        Assert.Equal(key, TwoEngineRouter.Arg(inspect, "--api-key"));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouterRestarted_AdoptsTheRemoteContainer_WithoutARestart_ItsKeyStillServes()
    {
        var first = _two.Start(Config());
        using (var client = first.Client(TestKeys.N8n))
        using (var warm = await client.PostChatAsync(Http.Chat("big", "warm up")))
        {
            await warm.ExpectAsync(HttpStatusCode.OK);
            Assert.NotEqual("", warm.Header("X-Router-Cold-Start-Ms"));
        }
        var container = Assert.Single(await _two.RemoteContainersAsync("big_r"));
        await first.DisposeAsync();

        var second = _two.Start(Config());
        using var again = second.Client(TestKeys.N8n);
        await Eventually.TrueAsync(async () => (await again.GetAsync("/ready")).IsSuccessStatusCode, "the restarted router is ready");
        using (var served = await again.PostChatAsync(Http.Chat("big", "after the restart")))
            await served.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(container, Assert.Single(await _two.RemoteContainersAsync("big_r")));
        Assert.Equal("true", (await DockerCli.RunOnAsync(engine.Dockerd.Endpoint, "inspect", "--format", "{{.State.Running}}", container)).Trim());
    }
}
