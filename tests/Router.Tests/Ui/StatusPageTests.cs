using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Router.Tests.Gpu;
using Xunit.Abstractions;

namespace Router.Tests.Ui;

/// <summary>
/// /ui in headless chromium against a router whose instances are simulators reached as endpoints
/// (no Docker): what it shows without a key, with a wrong or a non-admin key, with the admin key,
/// and that names from configs and clients are shown as text, never as markup.
/// </summary>
public sealed class StatusPageTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>, IAsyncLifetime
{
    // Markup in a client's name (from the config) and in a model name a client sends: if either
    // reached the page as HTML, the img would appear in the DOM (and try to set the flag).
    private const string HostileClient = "<img src=x onerror=\"window.__pwned='client'\">ops&amp;<b>bold</b>";
    private const string HostileModel = "<script>window.__pwned='model'</script><img src=y onerror=\"window.__pwned='model'\">";
    private const string HostileKey = "hostile-client-key";

    private readonly Sims _sims = new();
    private readonly List<IPage> _pages = [];
    private readonly List<string> _pageErrors = [];
    private readonly FakeNvml _nvml = new("count=2", "gpu0.used_mib=12288", "gpu0.util=37", "gpu0.temp=61", "gpu1.used_mib=2048");
    private RouterFactory _router = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var llama = await _sims.StartAsync("llama");
        var bge = await _sims.StartAsync("bge-m3", o => o.EmbeddingDim = 8);
        _router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
              - { name: {{JsonSerializer.Serialize(HostileClient)}}, source: batch, keySha256: "{{TestKeys.Hash(HostileKey)}}" }
            gpus:
              - { index: 0, role: long-context }
              - { index: 1, role: throughput }
            nvml: { library: "{{_nvml.LibraryPath}}", pollInterval: 50ms }
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "{{llama.BaseAddress}}", maxModelLen: 32768, maxConcurrent: 3 }
              - name: bge-m3
                kind: embedding
                instances:
                  - { name: bge_m3_1, gpus: [1], endpoint: "{{bge.BaseAddress}}", maxConcurrent: 8 }
            """);
        _address = _router.Start();
    }

    public async Task DisposeAsync()
    {
        foreach (var page in _pages) await page.Context.CloseAsync();
        await _router.DisposeAsync();
        await _sims.DisposeAsync();
        _nvml.Dispose();
        lock (_pageErrors) Assert.Empty(_pageErrors);
    }

    private async Task<IPage> OpenAsync(int width = 1280, int height = 900, Action<IPage>? before = null)
    {
        var page = await NewPageAsync(width, height);
        before?.Invoke(page);
        await page.GotoAsync(new Uri(_address, "ui").ToString());
        return page;
    }

    private async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var page = await chromium.NewPageAsync(width, height);
        _pages.Add(page);
        // A script error on the page fails the test (checked when it ends).
        page.PageError += (_, error) => { lock (_pageErrors) _pageErrors.Add(error); };
        return page;
    }

    private static ILocator Row(IPage page, string instance) => page.Locator($"#instances tr[data-instance='{instance}']");

    private static async Task EnterKeyAsync(IPage page, string key)
    {
        await page.FillAsync("#key", key);
        await page.ClickAsync("#use-key");
    }

    private async Task ChatAsync(string key, string model)
    {
        using var client = _router.Client(key);
        using var response = await client.PostChatAsync(Http.Chat(model, maxTokens: 4));
        await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task WithoutKey_ShowsModeGpusAndInstances_NoActionsNoRecentRequests()
    {
        await ChatAsync(TestKeys.WebUi, "llama");
        using var http = _router.Client();
        var health = await http.GetFromJsonAsync<JsonElement>("/health");
        var adminCalls = 0;
        var healthCalls = 0;
        var page = await OpenAsync(before: p => p.Request += (_, request) =>
        {
            if (request.Url.Contains("/admin/", StringComparison.Ordinal)) Interlocked.Increment(ref adminCalls);
            if (request.Url.EndsWith("/health", StringComparison.Ordinal)) Interlocked.Increment(ref healthCalls);
        });

        await Assertions.Expect(Row(page, "llama_0").Locator(".state")).ToHaveTextAsync("Ready (endpoint)");
        await Assertions.Expect(Row(page, "bge_m3_1").Locator(".in-flight")).ToHaveTextAsync("0/8");
        await Assertions.Expect(Row(page, "llama_0").Locator(".last-used")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+s ago$"));
        await Assertions.Expect(Row(page, "bge_m3_1").Locator(".last-used")).ToHaveTextAsync("never");
        await Assertions.Expect(page.Locator("#mode-value")).ToHaveTextAsync(health.GetProperty("mode").GetString()!);
        await Assertions.Expect(page.Locator("#override-value")).ToHaveTextAsync("auto");
        await Assertions.Expect(page.Locator("#next-switch")).ToContainTextAsync("(in ");
        // The fake NVML's reading: 12 of 24 GiB, 37 %, 61 C on GPU 0.
        var gpu0 = page.Locator("#gpus [data-gpu='0']");
        await Assertions.Expect(gpu0).ToContainTextAsync("long-context");
        await Assertions.Expect(gpu0).ToContainTextAsync("12.0 / 24.0 GiB");
        await Assertions.Expect(gpu0).ToContainTextAsync("37%");
        await Assertions.Expect(gpu0).ToContainTextAsync("61 °C");
        await Assertions.Expect(gpu0.Locator(".chip")).ToHaveTextAsync("llama_0 Ready");
        // No hosts besides this one: no hosts section, the page as before.
        await Assertions.Expect(page.Locator("#hosts-section")).ToBeHiddenAsync();

        Assert.Equal(0, await page.Locator("button[data-action]").CountAsync());
        await Assertions.Expect(page.Locator("#mode-actions")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#requests")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#requests-note")).ToHaveTextAsync("The recent requests and the actions need the admin key.");
        Assert.Equal(0, await page.Locator("#requests tbody tr").CountAsync());
        // Three more polls of /health, and no more of the admin routes: the one probe at load (does
        // this router need a key at all?) was refused, and the page does not ask again.
        var seen = Volatile.Read(ref healthCalls);
        await Eventually.TrueAsync(() => Volatile.Read(ref healthCalls) >= seen + 3, "the page polled /health three more times");
        Assert.Equal(1, Volatile.Read(ref adminCalls));
        await Assertions.Expect(page.Locator("#message")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task WrongKey_Then_NonAdminKey_EachRefusedWithAClearMessage()
    {
        var page = await OpenAsync();
        await Assertions.Expect(Row(page, "llama_0")).ToBeVisibleAsync();

        await EnterKeyAsync(page, "not-a-key");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync(
            "The admin key was refused (401 invalid_api_key: Incorrect API key provided.). Enter the admin key again.");
        await Assertions.Expect(page.Locator("#key-state")).ToHaveTextAsync("The key was refused.");

        await EnterKeyAsync(page, TestKeys.WebUi);
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync(
            "This key is not an admin key (403 admin_only: This route needs an admin key.).");
        Assert.Equal(0, await page.Locator("button[data-action]").CountAsync());
        await Assertions.Expect(page.Locator("#requests")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AdminKey_ShowsRecentRequestsNewestFirst_KeptForTheTab_ForgetHidesThem()
    {
        await ChatAsync(TestKeys.WebUi, "llama");
        using (var client = _router.Client(TestKeys.N8n))
        using (var embedded = await client.PostAsync("/v1/embeddings", Http.Json("""{"model":"bge-m3","input":"hello"}""")))
            await embedded.ExpectAsync(System.Net.HttpStatusCode.OK);
        var page = await OpenAsync();

        await EnterKeyAsync(page, TestKeys.Admin);
        await Assertions.Expect(page.Locator("#key-state")).ToHaveTextAsync("Admin key accepted: actions and recent requests are on.");
        var rows = page.Locator("#requests tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0).Locator(".client")).ToHaveTextAsync("n8n");
        await Assertions.Expect(rows.Nth(0).Locator(".instance")).ToHaveTextAsync("bge_m3_1");
        await Assertions.Expect(rows.Nth(1).Locator(".client")).ToHaveTextAsync("webui");
        await Assertions.Expect(rows.Nth(1).Locator(".model")).ToHaveTextAsync("llama");
        await Assertions.Expect(rows.Nth(1).Locator(".instance")).ToHaveTextAsync("llama_0");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("200");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d+ → 4"));
        await Assertions.Expect(page.Locator("#mode-actions")).ToBeVisibleAsync();

        // A new request shows up without a reload; the key survives one (session storage).
        await ChatAsync(TestKeys.N8n, "llama");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await page.ReloadAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        Assert.Equal(TestKeys.Admin, await page.EvaluateAsync<string>("() => sessionStorage.getItem('gpu-router.admin-key')"));

        await page.ClickAsync("#forget-key");
        await Assertions.Expect(page.Locator("#requests")).ToBeHiddenAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('gpu-router.admin-key')"));
    }

    [Fact]
    public async Task HostileClientAndModelNames_AreShownAsText()
    {
        await ChatAsync(HostileKey, "llama");
        await ChatAsync(HostileKey, HostileModel);
        var page = await OpenAsync();

        await EnterKeyAsync(page, TestKeys.Admin);
        var rows = page.Locator("#requests tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0).Locator(".client")).ToHaveTextAsync(HostileClient);
        await Assertions.Expect(rows.Nth(0).Locator(".model")).ToHaveTextAsync(HostileModel);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("404 model_not_found");
        await Assertions.Expect(rows.Nth(1).Locator(".client")).ToHaveTextAsync(HostileClient);

        Assert.Equal(0, await page.Locator("#requests img, #requests script, #requests b").CountAsync());
        Assert.Equal(0, await page.Locator("body img").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
    }

    [Fact]
    public async Task InstanceThatCanSleep_GetsSleepAndWakeButtons_WhichPostTheirRoutes()
    {
        // This router has no sleep mode yet: the page is shown a /health in which it has (an
        // instance view with canSleep, a sleeping one), and must post the routes that go with it.
        var page = await NewPageAsync();
        await page.RouteAsync("**/health", async route =>
        {
            var response = await route.FetchAsync();
            var health = JsonNode.Parse(await response.TextAsync())!;
            foreach (var instance in health["instances"]!.AsArray())
            {
                instance!["endpoint"] = null;
                instance["canSleep"] = true;
                if ((string?)instance["name"] == "bge_m3_1") instance["state"] = "Sleeping";
            }
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = health.ToJsonString() });
        });
        var posted = new List<string>();
        page.Request += (_, request) => { if (request.Method == "POST") lock (posted) posted.Add(request.Url); };
        await page.GotoAsync(new Uri(_address, "ui").ToString());
        await EnterKeyAsync(page, TestKeys.Admin);

        var llama = Row(page, "llama_0");
        var bge = Row(page, "bge_m3_1");
        await Assertions.Expect(llama.Locator("button[data-action='sleep']")).ToBeEnabledAsync();
        await Assertions.Expect(llama.Locator("button[data-action='wake']")).ToBeDisabledAsync();
        await Assertions.Expect(bge.Locator("button[data-action='wake']")).ToBeEnabledAsync();
        await Assertions.Expect(bge.Locator("button[data-action='sleep']")).ToBeDisabledAsync();
        await Assertions.Expect(bge.Locator(".state")).ToHaveTextAsync("Sleeping");

        await llama.Locator("button[data-action='sleep']").ClickAsync();
        // These instances are endpoint servers, which the router never puts to sleep: the page shows the refusal.
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("sleep llama_0 failed (400 sleep_not_configured:");
        await bge.Locator("button[data-action='wake']").ClickAsync();
        await Eventually.TrueAsync(() => { lock (posted) return Task.FromResult(posted.Count >= 2); }, "the wake was posted", 10_000);
        lock (posted)
        {
            Assert.Contains(new Uri(_address, "admin/instances/llama_0/sleep").ToString(), posted);
            Assert.Contains(new Uri(_address, "admin/instances/bge_m3_1/wake").ToString(), posted);
        }
    }

    [Fact]
    public async Task RouterGoesAway_ThePageSaysSo_KeepsWhatItLastShowed()
    {
        var router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - { name: llama, instances: [{ name: llama_9, gpus: [0], endpoint: "http://127.0.0.1:9", maxModelLen: 8192 }] }
            """);
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(router.Start(), "ui").ToString());
        await Assertions.Expect(Row(page, "llama_9").Locator(".state")).ToHaveTextAsync("Ready (endpoint)");
        await Assertions.Expect(page.Locator("#live")).ToHaveClassAsync("live ok");

        await router.DisposeAsync();

        await Assertions.Expect(page.Locator("#live")).ToContainTextAsync("Router unreachable: the router could not be reached");
        await Assertions.Expect(page.Locator("#live")).ToHaveClassAsync("live error");
        await Assertions.Expect(Row(page, "llama_9").Locator(".state")).ToHaveTextAsync("Ready (endpoint)");
    }

    [Fact]
    public async Task RouterWithoutClients_NeedsNoKey_ThePageActsWithoutOne()
    {
        var llama = await _sims.StartAsync("llama");
        await using var router = new RouterFactory($$"""
            models:
              - { name: llama, instances: [{ name: llama_0, gpus: [0], endpoint: "{{llama.BaseAddress}}", maxModelLen: 8192 }] }
            """);
        using (var client = router.Client())
        using (var response = await client.PostChatAsync(Http.Chat("llama", maxTokens: 2)))
            await response.ExpectAsync(System.Net.HttpStatusCode.OK);
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(router.Start(), "ui").ToString());

        await Assertions.Expect(page.Locator("#key-state")).ToHaveTextAsync("This router has no API keys configured: no key is needed.");
        await Assertions.Expect(page.Locator("#requests tbody tr .client")).ToHaveTextAsync("anonymous");
        await Assertions.Expect(page.Locator("#mode-actions")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task OnAPhone_TheTablesBecomeCards_NothingWiderThanTheScreen()
    {
        await ChatAsync(TestKeys.WebUi, "llama");
        var page = await OpenAsync(width: 390, height: 844);
        await EnterKeyAsync(page, TestKeys.Admin);
        await Assertions.Expect(page.Locator("#requests tbody tr")).ToHaveCountAsync(1);
        // The rows are drawn by the page's first poll, which may land after the key's: wait for them.
        await Assertions.Expect(page.Locator("#instances tbody tr").First).ToBeVisibleAsync();

        Assert.Equal("none", await page.EvalOnSelectorAsync<string>("#instances thead", "e => getComputedStyle(e).display"));
        Assert.Equal("block", await page.EvalOnSelectorAsync<string>("#instances tbody tr", "e => getComputedStyle(e).display"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways at 390 px");
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('section')].every(s => s.scrollWidth <= s.clientWidth)"),
            "a section scrolls sideways at 390 px");
        output.WriteLine($"phone screenshot: {await UiArtifacts.ScreenshotAsync(page, "status-page-phone")}");
    }
}
