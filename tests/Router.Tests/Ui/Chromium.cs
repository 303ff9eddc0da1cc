using Microsoft.Playwright;

namespace Router.Tests.Ui;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, installed by scripts/lib/ensure-tools.sh) driven by
/// Playwright for .NET: headless, no sandbox (the tests run as root), nothing fetched from the
/// internet (no browser download: the executable is given). One browser per test class; each
/// page gets a fresh context, so session storage (the admin key) never leaks between tests.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    // Without the background-networking flags chromium keeps trying Google's hosts on a closed network.
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run scripts/lib/ensure-tools.sh (it installs Debian's chromium).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Flags,
            Timeout = 60_000,
        });
    }

    /// <summary>
    /// A page in a context of its own, with bounded waits (no test hangs on a missing element).
    /// The caller closes its context (<c>page.Context.CloseAsync()</c>) when the test ends, so no
    /// page of a finished test goes on polling and raising events.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
