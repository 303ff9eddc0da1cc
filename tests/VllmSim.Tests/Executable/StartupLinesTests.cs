using VllmSim.Tests.Support;

namespace VllmSim.Tests.Executable;

/// <summary>What the program prints as it starts, as vLLM does: a line when loading starts, and one once it listens.</summary>
public sealed class StartupLinesTests
{
    [Fact]
    public async Task Program_Start_SaysWhenLoadingStartsThenWhereItListensAndWhatItServes()
    {
        using var sim = SimProcess.Start("org/model", "--served-model-name", "llama", "gpt-4o-mini", "--load-seconds", "1");

        var listeningLine = $"Starting vLLM API server (simulator) on http://127.0.0.1:{sim.Port}, serving models: llama, gpt-4o-mini";

        await sim.WaitHealthyAsync(TimeSpan.FromSeconds(20));
        // The line follows the bind, and stdout arrives through a pipe: wait for it rather than race it.
        await Eventually.TrueAsync(() => sim.StandardOutput.Any(l => l.Contains(listeningLine, StringComparison.Ordinal)), "the listening line", 20);

        var lines = sim.StandardOutput.Where(l => l.Length > 0).ToList();
        var loading = lines.FindIndex(l => l.StartsWith("INFO ", StringComparison.Ordinal)
            && l.Contains("Starting to load model org/model...", StringComparison.Ordinal));
        var listening = lines.FindIndex(l => l.StartsWith("INFO ", StringComparison.Ordinal) && l.Contains(listeningLine, StringComparison.Ordinal));
        Assert.True(loading >= 0, string.Join('\n', lines));
        Assert.True(listening > loading, string.Join('\n', lines));
    }

    [Fact]
    public async Task Program_WarningLevel_PrintsNeitherLine()
    {
        using var sim = SimProcess.Start("org/model", "--log-level", "warning");

        await sim.WaitHealthyAsync(TimeSpan.FromSeconds(20));
        // Then stop it: once it has exited, stdout holds everything it ever wrote.
        sim.Terminate();
        await sim.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.DoesNotContain(sim.StandardOutput, l => l.Contains("Starting", StringComparison.Ordinal));
    }
}
