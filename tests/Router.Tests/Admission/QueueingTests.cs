using System.Net;

namespace Router.Tests.Admission;

public class QueueingTests : IAsyncLifetime
{
    private readonly Sims _sims = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sims.DisposeAsync();

    private static RouterFactory Router(Uri endpoint, int maxQueue, string queueTimeout = "5s") => new($$"""
        {{TestKeys.ClientsYaml}}
        routing: { queueTimeout: {{queueTimeout}}, streamIdleTimeout: 10s }
        models:
          - name: llama
            instances:
              - { name: llama_0, gpus: [0], endpoint: "{{endpoint}}", maxModelLen: 8192, maxConcurrent: 1, maxQueue: {{maxQueue}} }
        """);

    // Longer than any test: the holder keeps its slot until the test lets it go (Release).
    private const int HoldTtftMs = 120_000;

    [Fact]
    public async Task FullQueue_Is503WithRetryAfter()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = HoldTtftMs);
        using var router = Router(sim.BaseAddress, maxQueue: 0);
        using var client = router.Client(TestKeys.WebUi);
        using var holder = Hold(client);
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first request holds the only slot");
        using var second = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal("queue_full", (await Http.ErrorAsync(second)).GetProperty("code").GetString());
        Assert.Equal(1, sim.Stats.Running);
    }

    [Fact]
    public async Task QueueTimeout_Is503()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = HoldTtftMs);
        using var router = Router(sim.BaseAddress, maxQueue: 4, queueTimeout: "300ms");
        using var client = router.Client(TestKeys.WebUi);
        using var holder = Hold(client);
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first request holds the only slot");
        using var second = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("queue_timeout", (await Http.ErrorAsync(second)).GetProperty("code").GetString());
        Assert.Equal(1, sim.Stats.Running);
    }

    [Fact]
    public async Task QueuedRequests_AreServedInPriorityOrder()
    {
        // The holder streams for minutes (5000 tokens at 50 ms) until the test lets it go; the
        // queued requests ask for three tokens each, so each holds the one slot for ~100 ms and the
        // order their clients see the ends in is the order the router let them in (with one token
        // each, a client's continuation could run after the next request had already finished).
        var sim = await _sims.StartAsync("llama", o => o.ItlMs = 50);
        using var router = Router(sim.BaseAddress, maxQueue: 8);
        using var webui = router.Client(TestKeys.WebUi);
        using var n8n = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        var holder = await webui.PostChatAsync(Http.Chat("llama", "holder", stream: true, maxTokens: 5000));
        await holder.ExpectAsync(HttpStatusCode.OK);
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the holder has the slot");
        var done = new List<string>();
        async Task Run(HttpClient c, string body, string name)
        {
            using var r = await c.PostChatAsync(body);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            lock (done) done.Add(name);
        }
        Task Queued(int n) => Eventually.TrueAsync(async () =>
            (await admin.GetStringAsync("/admin/instances")).Contains($"\"queued\":{n}", StringComparison.Ordinal), $"{n} requests are queued");
        // Queued in the opposite order of their priority, all while the holder still runs.
        var owuiTask = Http.Chat("llama", "### Task:\nGenerate a concise, 3-5 word title for the chat.", maxTokens: 3);
        var background = Run(webui, owuiTask, "background");
        await Queued(1);
        var batch = Run(n8n, Http.Chat("llama", "batch job", maxTokens: 3), "batch");
        await Queued(2);
        var interactive = Run(webui, Http.Chat("llama", "user question", maxTokens: 3), "interactive");
        await Queued(3);
        Assert.Equal(1, sim.Stats.Running);
        Assert.Empty(done);

        holder.Dispose();
        await Task.WhenAll(background, batch, interactive);
        Assert.Equal(["interactive", "batch", "background"], done);
    }

    [Fact]
    public async Task ClientGivesUpWhileQueued_LeavesTheQueue()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = HoldTtftMs);
        using var router = Router(sim.BaseAddress, maxQueue: 4);
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var holder = Hold(client);
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the holder has the slot");
        using var cts = new CancellationTokenSource();
        var queued = client.PostChatAsync(Http.Chat("llama"), cts.Token);
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/instances")).Contains("\"queued\":1", StringComparison.Ordinal), "the second request is queued");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/instances")).Contains("\"queued\":0", StringComparison.Ordinal), "the queue is empty again");
        Assert.Equal(1, sim.Stats.Running);
        holder.Dispose();
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/instances")).Contains("\"inFlight\":0", StringComparison.Ordinal), "no slot leaked");
    }

    // A request that holds the only slot (the simulator's first token takes minutes) until disposed.
    private static Holder Hold(HttpClient client)
    {
        var cancel = new CancellationTokenSource();
        return new Holder(client.PostChatAsync(Http.Chat("llama", "holder"), cancel.Token), cancel);
    }

    private sealed class Holder(Task<HttpResponseMessage> request, CancellationTokenSource cancel) : IDisposable
    {
        public void Dispose()
        {
            cancel.Cancel();
            // Cancelled before or after its headers: either way the router sees the client go.
            _ = request.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            cancel.Dispose();
        }
    }
}
