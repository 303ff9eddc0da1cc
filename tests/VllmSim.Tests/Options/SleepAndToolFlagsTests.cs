using VllmSim.Hosting;
using VllmSim.Options;

namespace VllmSim.Tests.Options;

/// <summary>The vLLM flags and environment the sleep and tool features hang on, and their simulation flags.</summary>
public sealed class SleepAndToolFlagsTests
{
    private static SimOptions Parse(Func<string, string?> environment, params string[] args) => SimArgsParser.Parse(args, environment);

    [Fact]
    public void Parse_VllmSwitchesAndDevMode_AreActedOn_AndTheNextTokenStaysTheModel()
    {
        var options = Parse(name => name == "VLLM_SERVER_DEV_MODE" ? "1" : null,
            "--enable-sleep-mode", "org/m", "--enable-auto-tool-choice", "--tool-call-parser", "hermes");

        Assert.True(options.EnableSleepMode);
        Assert.True(options.EnableAutoToolChoice);
        Assert.Equal("hermes", options.ToolCallParser);
        Assert.True(options.ServerDevMode);
        Assert.Equal("org/m", options.Model);
        Assert.Empty(options.IgnoredFlags);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public void Parse_DevMode_IsReadAsVllmReadsIt(string? value, bool expected) =>
        Assert.Equal(expected, Parse(name => name == "VLLM_SERVER_DEV_MODE" ? value : null).ServerDevMode);

    [Fact]
    public void Parse_DevModeNotANumber_IsAnError()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(name => name == "VLLM_SERVER_DEV_MODE" ? "yes" : null));
        Assert.Contains("VLLM_SERVER_DEV_MODE", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error", WakeFault.Error)]
    [InlineData("hang", WakeFault.Hang)]
    [InlineData("stays-asleep", WakeFault.StaysAsleep)]
    [InlineData("none", WakeFault.None)]
    public void Parse_WakeFault_FromFlagOrEnvironment(string value, WakeFault expected)
    {
        Assert.Equal(expected, Parse(_ => null, "--wake-fault", value).WakeFault);
        Assert.Equal(expected, Parse(name => name == "SIM_WAKE_FAULT" ? value : null).WakeFault);
    }

    [Fact]
    public void Parse_SleepTimings_FromFlagsAndEnvironment()
    {
        var options = Parse(name => name switch { "SIM_RELOAD_SECONDS" => "2.5", "SIM_WAKE_SECONDS" => "9", _ => null },
            "--sleep-seconds", "0.5", "--wake-seconds", "1");

        Assert.Equal(0.5, options.SleepSeconds);
        Assert.Equal(1, options.WakeSeconds);
        Assert.Equal(2.5, options.ReloadSeconds);
    }

    [Fact]
    public void Parse_BadSimulationValues_AreAllReported()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(_ => null, "--wake-fault", "sometimes", "--reload-seconds", "-1"));

        Assert.Contains("--wake-fault must be one of none, error, hang, stays-asleep", error.Message, StringComparison.Ordinal);
        Assert.Contains("--reload-seconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "TypeError: Error: --enable-auto-tool-choice requires --tool-call-parser")]
    [InlineData("magic", "KeyError: 'invalid tool call parser: magic (chose from { deepseek_v3,")]
    public async Task Start_AutoToolChoiceWithoutAValidParser_DiesAsVllmDoes(string? parser, string expected)
    {
        var log = new StringWriter();
        var options = new SimOptions { Port = 0, EnableAutoToolChoice = true, ToolCallParser = parser, LogOutput = log };

        var error = await Assert.ThrowsAsync<SimStartFailedException>(() => SimServer.StartAsync(options));

        Assert.Equal(1, error.ExitCode);
        Assert.StartsWith(expected, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ParserWithoutAutoToolChoice_StartsAsVllmDoes()
    {
        await using var server = await SimServer.StartAsync(new SimOptions { Port = 0, ToolCallParser = "magic", LogOutput = TextWriter.Null });

        Assert.True(server.Port > 0);
    }
}
