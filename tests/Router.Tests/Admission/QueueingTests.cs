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

    [Fact]
    public async Task FullQueue_Is503WithRetryAfter()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = 1500);
        using var router = Router(sim.BaseAddress, maxQueue: 0);
        using var client = router.Client(TestKeys.WebUi);
        var first = client.PostChatAsync(Http.Chat("llama"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first request holds the only slot");
        using var second = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal("queue_full", (await Http.ErrorAsync(second)).GetProperty("code").GetString());
        using var ok = await first;
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task QueueTimeout_Is503()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = 3000);
        using var router = Router(sim.BaseAddress, maxQueue: 4, queueTimeout: "300ms");
        using var client = router.Client(TestKeys.WebUi);
        var first = client.PostChatAsync(Http.Chat("llama"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the first request holds the only slot");
        using var second = await client.PostChatAsync(Http.Chat("llama"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("queue_timeout", (await Http.ErrorAsync(second)).GetProperty("code").GetString());
        (await first).Dispose();
    }

    [Fact]
    public async Task QueuedRequests_AreServedInPriorityOrder()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = 1200);
        using var router = Router(sim.BaseAddress, maxQueue: 8);
        using var webui = router.Client(TestKeys.WebUi);
        using var n8n = router.Client(TestKeys.N8n);
        using var admin = router.Client(TestKeys.Admin);
        var holder = webui.PostChatAsync(Http.Chat("llama", "holder"));
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
        var owuiTask = Http.Chat("llama", "### Task:\nGenerate a concise, 3-5 word title for the chat.");
        var background = Run(webui, owuiTask, "background");
        await Queued(1);
        var batch = Run(n8n, Http.Chat("llama", "batch job"), "batch");
        await Queued(2);
        var interactive = Run(webui, Http.Chat("llama", "user question"), "interactive");
        await Queued(3);
        Assert.Equal(1, sim.Stats.Running);
        await Task.WhenAll(holder, background, batch, interactive);
        Assert.Equal(["interactive", "batch", "background"], done);
    }

    [Fact]
    public async Task ClientGivesUpWhileQueued_LeavesTheQueue()
    {
        var sim = await _sims.StartAsync("llama", o => o.TtftMs = 1500);
        using var router = Router(sim.BaseAddress, maxQueue: 4);
        using var client = router.Client(TestKeys.WebUi);
        using var admin = router.Client(TestKeys.Admin);
        var holder = client.PostChatAsync(Http.Chat("llama"));
        await Eventually.TrueAsync(() => sim.Stats.Running == 1, "the holder has the slot");
        using var cts = new CancellationTokenSource();
        var queued = client.PostChatAsync(Http.Chat("llama"), cts.Token);
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/instances")).Contains("\"queued\":1", StringComparison.Ordinal), "the second request is queued");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/instances")).Contains("\"queued\":0", StringComparison.Ordinal), "the queue is empty again");
        (await holder).Dispose();
        await Eventually.TrueAsync(async () => (await admin.GetStringAsync("/admin/instances")).Contains("\"inFlight\":0", StringComparison.Ordinal), "no slot leaked");
    }
}
