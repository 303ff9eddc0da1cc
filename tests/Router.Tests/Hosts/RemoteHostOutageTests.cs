using System.Diagnostics;
using System.Net;
using Router.Tests.Fixtures;
using Xunit.Abstractions;

namespace Router.Tests.Hosts;

/// <summary>
/// The remote host's engine stopped for real in the middle of traffic (dockerd told to stop, which
/// stops its containers): the local instance never notices (every request of a steady stream
/// succeeds), the remote streams end with an error frame, a model with an instance on each host
/// spills over to the local one, a model only on that host gets a 503 naming the host with
/// Retry-After, /ready stays 200 throughout, and when the engine is back the model serves again.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class RemoteHostOutageTests(TlsEngine engine, ITestOutputHelper output) : IClassFixture<TlsEngine>, IAsyncLifetime
{
    private readonly TwoEngineRouter _two = new(engine);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _two.DisposeAsync();

    private string Config() => _two.Config(
        TwoEngineRouter.Model("llama", _two.OnLocal("llama_l", gpu: 0, share: 0.5))
        + TwoEngineRouter.Model("big", _two.OnRemote("big_r", share: 0.5, args: "\"--itl-ms\", \"50\""))
        + TwoEngineRouter.Model("both", _two.OnRemote("both_r", share: 0.4), _two.OnLocal("both_l", gpu: 1, share: 0.4)));

    [Fact]
    public async Task RemoteEngineStoppedMidTraffic_LocalNeverNotices_RemoteSpillsOrGets503NamingTheHost_ReadyStays200()
    {
        var router = _two.Start(Config());
        using var client = router.Client(TestKeys.N8n);
        foreach (var model in new[] { "llama", "big" })
        {
            using var warm = await client.PostChatAsync(Http.Chat(model, "warm up"));
            await warm.ExpectAsync(HttpStatusCode.OK);
        }
        using (var both = await client.PostChatAsync(Http.Chat("both", "first choice")))
        {
            await both.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(_two.Name("both_r"), both.Header("X-Router-Instance"));
        }

        var clock = Stopwatch.StartNew();
        var streams = await StartStreamsAsync(client, clock);
        using var stopLocal = new CancellationTokenSource();
        var local = LocalTrafficAsync(router, stopLocal.Token);
        var ready = ReadyWatchAsync(router, stopLocal.Token);

        var stoppedAt = clock.Elapsed;
        await engine.Dockerd.StopAsync("TERM");
        foreach (var end in await Task.WhenAll(streams))
        {
            var after = end.EndedAt - stoppedAt;
            output.WriteLine($"remote stream ended {after.TotalMilliseconds:0} ms after dockerd was told to stop: {(end.Cut ? "connection cut" : end.ErrorFrame ?? "no error frame")}");
            Assert.False(end.Cut, $"the stream was cut instead of ending with an error frame:\n{end.Text}");
            Assert.NotNull(end.ErrorFrame);
            Assert.EndsWith("data: [DONE]", end.Text.TrimEnd(), StringComparison.Ordinal);
        }

        // Only the host's instances: a model only there gets a 503 naming the host...
        await Eventually.TrueAsync(async () => await CodeAsync(client, "big") == "host_unreachable", "the remote-only model answers host_unreachable", 30_000);
        using (var refused = await client.PostChatAsync(Http.Chat("big", "while the host is away")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            var error = await Http.ErrorAsync(refused);
            Assert.Contains($"Host {TwoEngineRouter.Host} is unreachable", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        // ...and a model with an instance here spills over to it.
        using (var spilled = await client.PostChatAsync(Http.Chat("both", "spill over")))
        {
            await spilled.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(_two.Name("both_l"), spilled.Header("X-Router-Instance"));
        }

        await stopLocal.CancelAsync();
        var statuses = await local;
        output.WriteLine($"local requests during the outage: {statuses.Count}, all 200: {statuses.All(s => s == HttpStatusCode.OK)}");
        Assert.True(statuses.Count >= 5, $"only {statuses.Count} local requests ran");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var readiness = await ready;
        Assert.NotEmpty(readiness);
        Assert.All(readiness, s => Assert.Equal(HttpStatusCode.OK, s));

        // The engine comes back: the model serves again (its container died with the engine: a fresh start).
        await engine.Dockerd.StartAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var back = await client.PostChatAsync(Http.Chat("big", "the host is back", maxTokens: 1));
            return back.StatusCode == HttpStatusCode.OK;
        }, "the remote model serves again once its engine answers", 90_000);
        Assert.Single(await _two.RemoteContainersAsync("big_r"));
    }

    private static async Task<string?> CodeAsync(HttpClient client, string model)
    {
        using var response = await client.PostChatAsync(Http.Chat(model, "probe", maxTokens: 1));
        if (response.StatusCode == HttpStatusCode.OK) return "ok";
        return (await Http.ErrorAsync(response)).GetProperty("code").GetString();
    }

    // A steady stream of small requests to the local model until told to stop (bounded: 500).
    private static async Task<List<HttpStatusCode>> LocalTrafficAsync(RouterFactory router, CancellationToken stop)
    {
        using var client = router.Client(TestKeys.N8n);
        var statuses = new List<HttpStatusCode>();
        while (!stop.IsCancellationRequested && statuses.Count < 500)
        {
            using var response = await client.PostChatAsync(Http.Chat("llama", "local while the host goes", maxTokens: 4), CancellationToken.None);
            statuses.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.OK) await response.ExpectAsync(HttpStatusCode.OK);
        }
        return statuses;
    }

    private static async Task<List<HttpStatusCode>> ReadyWatchAsync(RouterFactory router, CancellationToken stop)
    {
        using var client = router.Client();
        var statuses = new List<HttpStatusCode>();
        while (!stop.IsCancellationRequested)
        {
            using var response = await client.GetAsync(new Uri("/ready", UriKind.Relative), CancellationToken.None);
            statuses.Add(response.StatusCode);
            await Task.Delay(100, CancellationToken.None);
        }
        return statuses;
    }

    private sealed record StreamEnd(string Text, TimeSpan EndedAt, string? ErrorFrame, bool Cut);

    private static async Task<List<Task<StreamEnd>>> StartStreamsAsync(HttpClient client, Stopwatch clock)
    {
        var first = Enumerable.Range(0, 2).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var streams = first.Select((f, i) => ReadStreamAsync(client, Http.Chat("big", $"stream {i}", stream: true, maxTokens: 5000), clock, f)).ToList();
        await Task.WhenAll(first.Select(f => f.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        return streams;
    }

    private static async Task<StreamEnd> ReadStreamAsync(HttpClient client, string body, Stopwatch clock, TaskCompletionSource firstToken)
    {
        var text = new System.Text.StringBuilder();
        string? error = null;
        try
        {
            using var response = await client.PostChatAsync(body);
            await response.ExpectAsync(HttpStatusCode.OK);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {\"id\"", StringComparison.Ordinal)) firstToken.TrySetResult();
                if (error is null && line.StartsWith("data: {\"error\"", StringComparison.Ordinal)) error = line;
                text.Append(line).Append('\n');
            }
            return new StreamEnd(text.ToString(), clock.Elapsed, error, Cut: false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return new StreamEnd(text.ToString(), clock.Elapsed, error, Cut: true);
        }
        finally
        {
            firstToken.TrySetResult();
        }
    }
}
