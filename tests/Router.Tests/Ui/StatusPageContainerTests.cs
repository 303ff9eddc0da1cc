using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Router.Tests.Fixtures;
using Router.Tests.Lifecycle;
using Xunit.Abstractions;

namespace Router.Tests.Ui;

/// <summary>
/// /ui in headless chromium acting on instances whose simulator containers the router starts on
/// a real Docker engine: the operator's start, stop and mode override, and what the page shows
/// of each (elapsed time while loading, the request that waited for a cold start, a failed
/// start's error as text).
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class StatusPageContainerTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>, IAsyncLifetime
{
    // Printed by the simulator as an unrecognised argument, so it ends up in the instance's last error.
    private const string HostileArgument = "<img src=x onerror=window.__pwned=1>";

    private readonly DockerRouter _docker = new();
    private readonly List<IPage> _pages = [];
    private readonly List<string> _pageErrors = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var page in _pages) await page.Context.CloseAsync();
        await _docker.DisposeAsync();
        lock (_pageErrors) Assert.Empty(_pageErrors);
    }

    private async Task<IPage> OpenAsync(RouterFactory router)
    {
        var page = await chromium.NewPageAsync();
        _pages.Add(page);
        page.PageError += (_, error) => { lock (_pageErrors) _pageErrors.Add(error); };
        await page.GotoAsync(new Uri(router.Start(), "ui").ToString());
        await page.FillAsync("#key", TestKeys.Admin);
        await page.ClickAsync("#use-key");
        await Assertions.Expect(page.Locator("#key-state")).ToHaveTextAsync("Admin key accepted: actions and recent requests are on.");
        return page;
    }

    private static ILocator Row(IPage page, string instance) => page.Locator($"#instances tr[data-instance='{instance}']");

    private static readonly LocatorAssertionsToHaveTextOptions ColdStart = new() { Timeout = 60_000 };

    [Fact]
    public async Task AdminKey_StartStopAndOverride_TheirEffectsShow_AndTheRequestsThatFollow()
    {
        // Four seconds of loading: long enough for the page (polling every 1.5 s) to show it.
        var router = _docker.Start(_docker.Config(_docker.SimModel("llama", "llama_0", gpu: 0, share: 0.5, args: "\"--load-seconds\", \"4\"")));
        var name = _docker.Name("llama_0");
        var page = await OpenAsync(router);
        var row = Row(page, name);
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("Stopped");
        await Assertions.Expect(row.Locator(".last-used")).ToHaveTextAsync("never");
        await Assertions.Expect(row.Locator("button[data-action='stop']")).ToBeDisabledAsync();

        await row.Locator("button[data-action='start']").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync($"start {name}: accepted.");
        await Assertions.Expect(row.Locator(".elapsed")).ToHaveTextAsync(new Regex(@"^for \d+s$"));
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync(new Regex("^(Starting|Loading)$"));
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("Ready", ColdStart);
        await Assertions.Expect(row.Locator(".elapsed")).ToHaveCountAsync(0);
        await Assertions.Expect(row.Locator(".last-used")).ToHaveTextAsync("never");
        Assert.Single(await _docker.ContainersAsync(name));

        await page.ClickAsync("#mode-actions button[data-override='night']");
        await Assertions.Expect(page.Locator("#override-value")).ToHaveTextAsync("night");
        await Assertions.Expect(page.Locator("#mode-value")).ToHaveTextAsync("night");
        await Assertions.Expect(page.Locator("#next-switch")).ToHaveTextAsync("none while the override holds");
        await Assertions.Expect(page.Locator("#mode-actions button.current")).ToHaveTextAsync("night");

        await row.Locator("button[data-action='stop']").ClickAsync();
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("Stopped", ColdStart);
        Assert.Empty(await _docker.ContainersAsync(name));

        // A request for the stopped instance waits for a cold start; the page lists it with that wait.
        using (var client = router.Client(TestKeys.WebUi))
        using (var response = await client.PostChatAsync(Http.Chat("llama", maxTokens: 5)))
            await response.ExpectAsync(System.Net.HttpStatusCode.OK);
        var request = page.Locator("#requests tbody tr").First;
        await Assertions.Expect(request.Locator(".client")).ToHaveTextAsync("webui");
        await Assertions.Expect(request.Locator(".instance")).ToHaveTextAsync(name);
        await Assertions.Expect(request.Locator(".cold-start")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Assertions.Expect(request).ToContainTextAsync(new Regex(@"\d+ → 5"));
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("Ready");
        await Assertions.Expect(row.Locator(".last-used")).ToHaveTextAsync(new Regex(@"^\d+s ago$"));

        output.WriteLine($"status page screenshot: {await UiArtifacts.ScreenshotAsync(page, "status-page")}");
    }

    [Fact]
    public async Task HostileTextInAFailedStartsError_IsShownAsText()
    {
        var router = _docker.Start(_docker.Config(_docker.SimModel("llama", "llama_0", gpu: 0, share: 0.5, args: $"\"{HostileArgument}\"")));
        var name = _docker.Name("llama_0");
        var page = await OpenAsync(router);
        var row = Row(page, name);

        await row.Locator("button[data-action='start']").ClickAsync();
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("Failed", ColdStart);
        await Assertions.Expect(row.Locator(".last-error")).ToContainTextAsync(HostileArgument);
        await Assertions.Expect(row.Locator("button[data-action='start']")).ToBeEnabledAsync();

        Assert.Equal(0, await page.Locator("#instances img").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
        output.WriteLine($"failed start screenshot: {await UiArtifacts.ScreenshotAsync(page, "status-page-failed-start")}");
    }
}
