namespace Router.Tests.Hosting;

/// <summary>systemd/gpu-router.service: a notify unit with a watchdog that systemd itself accepts.</summary>
public class SystemdUnitTests
{
    private static readonly string Unit = File.ReadAllText(Path.Combine(RepoRoot.Path, "systemd", "gpu-router.service"));

    [Fact]
    public void Unit_IsTypeNotify_WithAWatchdog_FromTheMainProcessOnly()
    {
        var lines = Unit.Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains("Type=notify", lines);
        Assert.Contains("NotifyAccess=main", lines);
        Assert.Contains("WatchdogSec=30s", lines);
        Assert.Contains("Restart=on-failure", lines);
    }

    [Fact]
    public void Unit_LeavesInlineSocketCompletionsOff_WhichTheEnvironmentFileCanTurnOn()
    {
        var lines = Unit.Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains($"Environment={GpuRouter.Hosting.RouterHostingExtensions.InlineCompletionsVariable}=0", lines);
        // systemd lets EnvironmentFile= override Environment=: the operator's file has the last word.
        Assert.Contains("EnvironmentFile=/etc/gpu-router/env", lines);
    }

    [Fact]
    public async Task Unit_PassesSystemdAnalyzeVerify()
    {
        // verify also checks that ExecStart exists; the published router is not installed here.
        var dir = Directory.CreateTempSubdirectory("unit-");
        try
        {
            var path = Path.Combine(dir.FullName, "gpu-router.service");
            await File.WriteAllTextAsync(path, string.Join('\n', Unit.Split('\n').Select(l => l.StartsWith("ExecStart=", StringComparison.Ordinal) ? "ExecStart=/bin/true" : l)));

            var (code, output, error) = await Processes.RunAsync("systemd-analyze", "verify", path);

            Assert.True(code == 0 && error.Length == 0, $"systemd-analyze verify: exit {code}\n{output}\n{error}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
