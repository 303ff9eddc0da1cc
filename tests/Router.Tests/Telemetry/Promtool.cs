using System.Diagnostics;

namespace Router.Tests.Telemetry;

/// <summary>Prometheus's own checker; scripts/test.sh installs it (Debian's prometheus package).</summary>
internal static class Promtool
{
    /// <summary><c>promtool check metrics</c> on an exposition, given on standard input.</summary>
    public static Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition) =>
        RunAsync(exposition, "check", "metrics");

    /// <summary><c>promtool check rules</c> on a rule file's text: parses every expression as Prometheus would.</summary>
    public static async Task<(int ExitCode, string Output)> CheckRulesAsync(string rulesYaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rules-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, rulesYaml);
        try
        {
            return await RunAsync("", "check", "rules", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string input, params string[] arguments)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null) Assert.Fail("promtool is not installed; scripts/test.sh installs it with Debian's `prometheus` package.");

        var start = new ProcessStartInfo(promtool, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
