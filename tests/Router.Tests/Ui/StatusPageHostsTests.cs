using System.Text.RegularExpressions;
using GpuRouter.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Router.Tests.Gpu;
using Router.Tests.Hosts;
using Xunit.Abstractions;

namespace Router.Tests.Ui;

/// <summary>
/// /ui in headless chromium against a router with a GPU host besides this one (see
/// <see cref="HostViews"/>): the hosts section with each engine's reachability, the remote GPUs
/// with the router's reservations, and each instance's host, live as the host goes and comes back.
/// </summary>
public sealed class StatusPageHostsTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string Reason = "connection refused (dgx.tailnet:2376)";
    private readonly HostViews _views = new();
    private readonly List<IPage> _pages = [];
    private readonly List<string> _pageErrors = [];

    public async Task InitializeAsync()
    {
        var placement = _views.Router.Services.GetRequiredService<GpuPlacement>();
        Assert.Null(await placement.ReserveAsync(new FakePlacedInstance("llama405_dgx", 0.9, 0, 1) { Host = "dgx" }, TimeSpan.Zero, default));
    }

    public async Task DisposeAsync()
    {
        foreach (var page in _pages) await page.Context.CloseAsync();
        await _views.DisposeAsync();
        lock (_pageErrors) Assert.Empty(_pageErrors);
    }

    private async Task<IPage> OpenAsync(int width = 1280, int height = 900)
    {
        var page = await chromium.NewPageAsync(width, height);
        _pages.Add(page);
        page.PageError += (_, error) => { lock (_pageErrors) _pageErrors.Add(error); };
        await page.GotoAsync(new Uri(_views.Router.Start(), "ui").ToString());
        return page;
    }

    private static ILocator Host(IPage page, string name) => page.Locator($"#hosts [data-host='{name}']");

    private static ILocator Row(IPage page, string instance) => page.Locator($"#instances tr[data-instance='{instance}']");

    [Fact]
    public async Task UnreachableHost_ShowsWhySinceWhen_ItsGpusReservationsAndItsInstances()
    {
        _views.Board.MarkUnreachable("dgx", Reason);

        var page = await OpenAsync();

        await Assertions.Expect(page.Locator("#hosts-section")).ToBeVisibleAsync();
        var dgx = Host(page, "dgx");
        await Assertions.Expect(dgx.Locator("> h3")).ToHaveTextAsync("dgx · tcp://dgx.tailnet:2376 · dgx.tailnet");
        await Assertions.Expect(dgx.Locator(".reachability")).ToHaveTextAsync(new Regex(@"^unreachable for \d+s: connection refused \(dgx\.tailnet:2376\)$"));
        await Assertions.Expect(dgx.Locator(".reachability")).ToHaveClassAsync("reachability reach-unreachable");
        await Assertions.Expect(Host(page, "local").Locator(".reachability")).ToHaveTextAsync("not checked yet");
        await Assertions.Expect(Host(page, "local").Locator("> h3")).ToHaveTextAsync($"local · {HostViews.LocalEngine}");
        // Its GPUs: the router's reservation of each, never a measurement.
        var gpu0 = dgx.Locator("[data-gpu='0']");
        await Assertions.Expect(gpu0.Locator("h3")).ToHaveTextAsync("GPU 0 · big");
        await Assertions.Expect(gpu0.Locator(".meter .value")).ToHaveTextAsync("0.90");
        await Assertions.Expect(gpu0.Locator(".detail")).ToHaveTextAsync("72.0 of 80.0 GiB reserved. Not measured (NVML is read for the local GPUs only).");
        await Assertions.Expect(gpu0.Locator(".chip")).ToHaveTextAsync("llama405_dgx Stopped");
        // Its memory not in the config: the share alone.
        await Assertions.Expect(dgx.Locator("[data-gpu='1'] .meter .value")).ToHaveTextAsync("0.90");
        await Assertions.Expect(dgx.Locator("[data-gpu='1'] .detail")).ToHaveTextAsync("Not measured (NVML is read for the local GPUs only).");
        // The local GPUs stay where they were, NVML's reading and all; dgx's are not among them.
        await Assertions.Expect(page.Locator("#gpus [data-gpu]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#gpus [data-gpu='0']")).ToContainTextAsync("1.2 / 24.0 GiB");
        // Each instance with its host; the one on dgx says its host is down.
        await Assertions.Expect(Row(page, "llama405_dgx").Locator(".detail").First).ToHaveTextAsync("llama-405b · always · on dgx · GPU 0,1");
        await Assertions.Expect(Row(page, "llama405_dgx").Locator(".host-down")).ToHaveTextAsync($"dgx unreachable: {Reason}");
        await Assertions.Expect(Row(page, "bge_m3_1").Locator(".detail").First).ToHaveTextAsync("bge-m3 · always · GPU 1");
        await Assertions.Expect(Row(page, "bge_m3_1").Locator(".host-down")).ToHaveCountAsync(0);
        output.WriteLine($"screenshot: {await UiArtifacts.ScreenshotAsync(page, "status-page-hosts")}");
    }

    [Fact]
    public async Task HostComesBack_ThePageFollowsWithoutAReload()
    {
        _views.Board.MarkUnreachable("dgx", Reason);
        var page = await OpenAsync();
        await Assertions.Expect(Row(page, "llama405_dgx").Locator(".host-down")).ToBeVisibleAsync();

        _views.Board.MarkReachable("dgx");

        await Assertions.Expect(Host(page, "dgx").Locator(".reachability")).ToHaveTextAsync(new Regex(@"^reachable since \d\d:\d\d:\d\d$"));
        await Assertions.Expect(Host(page, "dgx").Locator(".reachability")).ToHaveClassAsync("reachability reach-reachable");
        await Assertions.Expect(Row(page, "llama405_dgx").Locator(".host-down")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task OnAPhone_HostsFitTheScreen()
    {
        _views.Board.MarkUnreachable("dgx", Reason);
        var page = await OpenAsync(width: 390, height: 844);
        await Assertions.Expect(Host(page, "dgx").Locator("[data-gpu='0'] .chip")).ToBeVisibleAsync();

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways at 390 px");
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('section')].every(s => s.scrollWidth <= s.clientWidth)"),
            "a section scrolls sideways at 390 px");
        output.WriteLine($"phone screenshot: {await UiArtifacts.ScreenshotAsync(page, "status-page-hosts-phone")}");
    }
}
