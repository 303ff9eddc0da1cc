using System.Net;
using VllmSim.Tests.Support;

namespace VllmSim.Tests.Executable;

/// <summary>The program reads VLLM_SERVER_DEV_MODE from its environment and dies on bad tool flags, as vLLM does.</summary>
public sealed class DevModeProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("1", HttpStatusCode.OK)]
    [InlineData("0", HttpStatusCode.NotFound)]
    public async Task Program_DevModeFromTheEnvironment_DecidesWhetherTheSleepRoutesExist(string devMode, HttpStatusCode expected)
    {
        using var sim = SimProcess.Start(new Dictionary<string, string> { ["VLLM_SERVER_DEV_MODE"] = devMode }, "org/model", "--enable-sleep-mode");
        await sim.WaitHealthyAsync(Generous);
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        using var response = await client.GetAsync("/is_sleeping");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Program_AutoToolChoiceWithAnUnknownParser_ExitsWith1AndVllmsKeyError()
    {
        using var sim = SimProcess.Start("org/model", "--enable-auto-tool-choice", "--tool-call-parser", "magic");

        var exitCode = await sim.WaitForExitAsync(Generous);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("KeyError: 'invalid tool call parser: magic", sim.StandardOutput[^1], StringComparison.Ordinal);
    }
}
