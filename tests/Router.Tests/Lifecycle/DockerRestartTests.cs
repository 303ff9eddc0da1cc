using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Router.Tests.Fixtures;
using Xunit.Abstractions;

namespace Router.Tests.Lifecycle;

/// <summary>
/// dockerd going away under a router that streams, for real, on an engine of the test's own:
/// restarted as systemd (and so an apt upgrade) restarts it, and killed outright. Model
/// containers have restart policy "no", so they die with it; the router must notice without the
/// events it missed, answer clearly while Docker is away, and start the model again when it is back.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DockerRestartTests(PrivateEngine engine, ITestOutputHelper output) : IClassFixture<PrivateEngine>, IAsyncLifetime
{
    private static readonly TimeSpan StreamIdleTimeout = TimeSpan.FromSeconds(60);
    private readonly DockerRouter _docker = new(engine.Dockerd.Endpoint);
    private RouterFactory _router = null!;
    private HttpClient _client = null!;
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _router = _docker.Start(Config());
        _client = _router.Client(TestKeys.N8n);
        _admin = _router.Client(TestKeys.Admin);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _admin.Dispose();
        // A failed test may leave the engine stopped; the next test (and the cleanup) needs it.
        if (!await AnswersAsync()) await engine.Dockerd.StartAsync();
        await _docker.DisposeAsync();
    }

    private string Config() => _docker.Config(
        _docker.SimModel("llama", "llama_0", gpu: 0, share: 0.5, args: "\"--itl-ms\", \"50\"")
        + _docker.SimModel("coder", "coder_1", gpu: 1, share: 0.5, maxConcurrent: 2)
        + _docker.SimModel("spare", "spare_1", gpu: 1, share: 0.3, maxConcurrent: 2),
        routing: $", streamIdleTimeout: {StreamIdleTimeout.TotalSeconds:0}s");

    [Fact]
    public async Task DockerdRestarted_StreamsEndWithAnErrorFrame_503WhileDown_NextRequestStartsTheModelAgain()
    {
        var first = await WarmAsync();
        var clock = Stopwatch.StartNew();
        var streams = await StartStreamsAsync(clock);

        // systemctl restart docker: SIGTERM, and dockerd stops every container on its way down.
        var stoppedAt = clock.Elapsed;
        await engine.Dockerd.StopAsync("TERM");
        var ended = await Task.WhenAll(streams);
        AssertEndedWithErrorFrame(ended, stoppedAt, "dockerd was told to stop");

        await Eventually.TrueAsync(async () => (await _client.GetAsync("/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, "/ready reports Docker lost");
        await AssertClear503Async("llama", "a request for the model whose container died with Docker");
        await AssertClear503Async("coder", "a request for a model that was not running");

        await AssertRecoversAsync(first);
    }

    [Fact]
    public async Task DockerdKilled_ModelServesOnWhileItIsDown_ItsStartKillsTheContainer_NextRequestStartsTheModelAgain()
    {
        var first = await WarmAsync();
        // Running and idle: no request or stream of its own will notice when it dies.
        using (var spare = await _client.PostChatAsync(Http.Chat("spare", "warm up"))) await spare.ExpectAsync(HttpStatusCode.OK);
        var clock = Stopwatch.StartNew();
        var streams = await StartStreamsAsync(clock);

        // A crash: the containers run on under their shims, so the model still answers...
        await engine.Dockerd.StopAsync("KILL");
        await Eventually.TrueAsync(async () => (await _client.GetAsync("/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, "/ready reports Docker lost");
        using (var served = await _client.PostChatAsync(Http.Chat("llama", "served while dockerd is dead")))
            await served.ExpectAsync(HttpStatusCode.OK);
        Assert.All(streams, s => Assert.False(s.IsCompleted, "a stream ended while its container still ran"));
        // ...but nothing can start.
        await AssertClear503Async("coder", "a request for a model that was not running");

        // dockerd's start kills what ran without it (no live-restore), before its API answers: the
        // router misses those events and must find out by itself.
        var restartedAt = clock.Elapsed;
        var ended = Task.WhenAll(streams);
        await AssertRecoversAsync(first);
        AssertEndedWithErrorFrame(await ended, restartedAt, "dockerd was started again");
        // Nobody asked for the idle one: the router's own listing after the reconnect found it dead.
        await Eventually.TrueAsync(async () => (await InstanceAsync("spare")).GetProperty("state").GetString() == "Failed",
            "the idle instance whose container died unseen is Failed");
        Assert.Contains("exited", (await InstanceAsync("spare")).GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> WarmAsync()
    {
        using (var warm = await _client.PostChatAsync(Http.Chat("llama", "warm up")))
        {
            await warm.ExpectAsync(HttpStatusCode.OK);
            Assert.NotEqual("", warm.Header("X-Router-Cold-Start-Ms"));
        }
        return Assert.Single(await _docker.ContainersAsync(_docker.Name("llama_0")));
    }

    // Three long streams (5000 tokens at 50 ms), returned once each has brought its first token
    // (in flight at the router is not enough: a request may hold its slot before it has connected).
    private async Task<List<Task<StreamEnd>>> StartStreamsAsync(Stopwatch clock)
    {
        var started = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var streams = started
            .Select((first, i) => ReadStreamAsync(_client, Http.Chat("llama", $"stream {i}", stream: true, maxTokens: 5000), clock, first))
            .ToList();
        await Task.WhenAll(started.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, (await InstanceAsync("llama")).GetProperty("inFlight").GetInt32());
        return streams;
    }

    private void AssertEndedWithErrorFrame(StreamEnd[] ended, TimeSpan from, string cause)
    {
        foreach (var stream in ended)
        {
            Assert.False(stream.Cut, $"the stream was cut instead of ending with an error frame:\n{stream.Text}");
            var events = stream.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("data: [DONE]", events[^1]);
            Assert.StartsWith("data: {\"error\":", events[^2], StringComparison.Ordinal);
            Assert.NotNull(stream.ErrorAt);
            var delay = stream.ErrorAt.Value - from;
            output.WriteLine($"error frame {delay.TotalMilliseconds:0} ms after {cause} (streamIdleTimeout {StreamIdleTimeout.TotalSeconds:0} s)");
            // Well before the idle timeout: the router learned of the death, it did not wait out the silence.
            Assert.True(delay < StreamIdleTimeout / 4, $"the error frame came {delay} after {cause}");
        }
    }

    private async Task AssertClear503Async(string model, string what)
    {
        using var response = await _client.PostChatAsync(Http.Chat(model, "while Docker is down"));
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
            $"{what}: expected 503, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.NotNull(response.Headers.RetryAfter);
        var message = (await Http.ErrorAsync(response)).GetProperty("message").GetString()!;
        Assert.Contains("Docker", message, StringComparison.Ordinal);
    }

    // Docker answers again: the very next request starts the model (no router restart), and the
    // engine holds one container for it, running, in place of the dead one.
    private async Task AssertRecoversAsync(string deadContainer)
    {
        await engine.Dockerd.StartAsync();
        var back = Stopwatch.StartNew();
        using (var next = await _client.PostChatAsync(Http.Chat("llama", "Docker is back", maxTokens: 1)))
        {
            await next.ExpectAsync(HttpStatusCode.OK);
            Assert.NotEqual("", next.Header("X-Router-Cold-Start-Ms"));
        }
        output.WriteLine($"recovery: {back.Elapsed.TotalMilliseconds:0} ms from dockerd answering to the first successful request (a cold start)");
        await Eventually.TrueAsync(async () => (await _client.GetAsync("/ready")).IsSuccessStatusCode, "/ready follows Docker again", 30_000);
        var containers = await _docker.ContainersAsync(_docker.Name("llama_0"));
        var running = Assert.Single(containers);
        Assert.NotEqual(deadContainer, running);
        Assert.Equal("true", await DockerCli.RunOnAsync(_docker.Endpoint, "inspect", "--format", "{{.State.Running}}", running));
        Assert.Empty(await _docker.ContainersAsync(_docker.Name("coder_1")));
        Assert.Equal("Ready", (await InstanceAsync("llama")).GetProperty("state").GetString());
    }

    private async Task<bool> AnswersAsync()
    {
        using var client = engine.Dockerd.Client();
        try
        {
            await client.PingAsync(CancellationToken.None);
            return true;
        }
        catch (GpuRouter.Docker.DockerUnavailableException)
        {
            return false;
        }
    }

    private async Task<JsonElement> InstanceAsync(string model)
    {
        using var doc = JsonDocument.Parse(await _admin.GetStringAsync("/admin/instances"));
        return doc.RootElement.GetProperty("instances").EnumerateArray().First(i => i.GetProperty("model").GetString() == model).Clone();
    }

    private sealed record StreamEnd(string Text, TimeSpan? ErrorAt, bool Cut);

    private static async Task<StreamEnd> ReadStreamAsync(HttpClient client, string body, Stopwatch clock, TaskCompletionSource firstToken)
    {
        try
        {
            using var response = await client.PostChatAsync(body);
            await response.ExpectAsync(HttpStatusCode.OK);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var text = new System.Text.StringBuilder();
            TimeSpan? errorAt = null;
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("data: {\"id\"", StringComparison.Ordinal)) firstToken.TrySetResult();
                    if (errorAt is null && line.StartsWith("data: {\"error\"", StringComparison.Ordinal)) errorAt = clock.Elapsed;
                    text.Append(line).Append('\n');
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return new StreamEnd(text.ToString(), errorAt, Cut: true);
            }
            return new StreamEnd(text.ToString(), errorAt, Cut: false);
        }
        finally
        {
            // A stream that ended before its first token lets the test go on to see why.
            firstToken.TrySetResult();
        }
    }
}
