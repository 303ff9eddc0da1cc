using Microsoft.Playwright;

namespace Router.Tests.Ui;

/// <summary>Screenshots of the status page kept as test artifacts under out/test-results/ui.</summary>
internal static class UiArtifacts
{
    public static string Folder { get; } = Path.Combine(RepoRoot.Path, "out", "test-results", "ui");

    /// <summary>Saves a full-page screenshot and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
