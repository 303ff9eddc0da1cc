using Microsoft.Extensions.Logging;
using VllmSim.Options;

namespace VllmSim.Tests.Options;

public sealed class SimOptionsParseTests
{
    private static SimOptions Parse(params string[] args) => SimArgsParser.Parse(args, _ => null);

    [Fact]
    public void Parse_NoArguments_UsesVllmDefaults()
    {
        var options = Parse();

        Assert.Equal(8000, options.Port);
        Assert.Equal(8192, options.MaxModelLen);
        Assert.Equal(256, options.MaxNumSeqs);
        Assert.Equal(1024, options.EmbeddingDim);
        Assert.Equal(16, options.DefaultMaxTokens);
        Assert.Null(options.ExitAfterRequests);
        Assert.Null(options.Host);
        Assert.Equal(LogLevel.Information, options.LogLevel);
    }

    [Fact]
    public void Parse_PositionalModel_SetsModel()
    {
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", Parse("meta-llama/Llama-3.1-8B-Instruct", "--port", "9000").Model);
    }

    [Fact]
    public void Parse_ModelFlagAndEqualsForm_SetModelAndValues()
    {
        var options = Parse("--model=org/m", "--max-model-len=32k", "--port", "1234");

        Assert.Equal("org/m", options.Model);
        Assert.Equal(32000, options.MaxModelLen);
        Assert.Equal(1234, options.Port);
    }

    [Fact]
    public void Parse_BinaryKiloSuffix_ReadsAsVllmDoes()
    {
        Assert.Equal(32768, Parse("--max-model-len", "32K").MaxModelLen);
    }

    [Fact]
    public void Parse_ServedModelNameWithSeveralValues_KeepsAllInOrder()
    {
        var options = Parse("--model", "org/m", "--served-model-name", "a", "b", "c", "--port", "1");

        Assert.Equal(["a", "b", "c"], options.ServedModelNames);
        Assert.Equal(["a", "b", "c"], options.EffectiveModelNames);
        Assert.Equal(1, options.Port);
    }

    [Fact]
    public void Parse_RealVllmContainerArguments_AcceptsAndIgnoresUnknownFlags()
    {
        var options = Parse(
            "--model", "Qwen/Qwen2.5-72B-Instruct-AWQ", "--served-model-name", "qwen-72b", "--host", "127.0.0.1", "--port", "18001",
            "--max-model-len", "16384", "--gpu-memory-utilization", "0.95", "--max-num-seqs", "2", "--tensor-parallel-size", "2",
            "--quantization", "awq", "--enforce-eager", "--dtype", "auto", "--disable-log-requests", "--kv-cache-dtype=fp8", "-tp", "2");

        Assert.Equal("Qwen/Qwen2.5-72B-Instruct-AWQ", options.Model);
        Assert.Equal(["qwen-72b"], options.ServedModelNames);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(18001, options.Port);
        Assert.Equal(16384, options.MaxModelLen);
        Assert.Equal(0.95, options.GpuMemoryUtilization);
        Assert.Equal(2, options.MaxNumSeqs);
        Assert.Equal(2, options.TensorParallelSize);
        Assert.Equal("awq", options.Quantization);
        Assert.Equal("auto", options.Dtype);
        Assert.Equal(["--enforce-eager", "--disable-log-requests", "--kv-cache-dtype=fp8"], options.IgnoredFlags);
    }

    [Fact]
    public void Parse_SimulationFlags_SetTimingsAndFaults()
    {
        var options = Parse(
            "m", "--load-seconds", "1.5", "--ttft-ms", "300", "--itl-ms", "20", "--prefill-us-per-token", "50",
            "--embedding-dim", "8", "--exit-after-requests", "3", "--exit-code", "137", "--sleep-seconds", "0.2",
            "--wake-seconds", "0.3", "--default-max-tokens", "4", "--log-level", "debug");

        Assert.Equal(1.5, options.LoadSeconds);
        Assert.Equal(300, options.TtftMs);
        Assert.Equal(20, options.ItlMs);
        Assert.Equal(50, options.PrefillUsPerToken);
        Assert.Equal(8, options.EmbeddingDim);
        Assert.Equal(3, options.ExitAfterRequests);
        Assert.Equal(137, options.ExitCode);
        Assert.Equal(0.2, options.SleepSeconds);
        Assert.Equal(0.3, options.WakeSeconds);
        Assert.Equal(4, options.DefaultMaxTokens);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
    }

    [Fact]
    public void Parse_EnvironmentVariables_FillSimulationFlagsAndFlagsWin()
    {
        var environment = new Dictionary<string, string> { ["SIM_TTFT_MS"] = "250", ["SIM_ITL_MS"] = "7", ["SIM_LOG_LEVEL"] = "info" };

        var options = SimArgsParser.Parse(["m", "--itl-ms", "9"], name => environment.GetValueOrDefault(name));

        Assert.Equal(250, options.TtftMs);
        Assert.Equal(9, options.ItlMs);
        Assert.Equal(LogLevel.Information, options.LogLevel);
    }

    [Theory]
    [InlineData("--port", "abc", "--port must be a whole number")]
    [InlineData("--port", "70000", "--port must be between 0 and 65535")]
    [InlineData("--max-model-len", "0", "--max-model-len must be at least 1")]
    [InlineData("--max-model-len", "lots", "--max-model-len must be a whole number of tokens")]
    [InlineData("--max-num-seqs", "-1", "--max-num-seqs must be between 1")]
    [InlineData("--ttft-ms", "-5", "--ttft-ms must be a number from 0 up")]
    [InlineData("--itl-ms", "NaN", "--itl-ms must be a number")]
    [InlineData("--gpu-memory-utilization", "1.5", "--gpu-memory-utilization must be in (0, 1]")]
    [InlineData("--exit-code", "300", "--exit-code must be between 0 and 255")]
    [InlineData("--host", "not a host", "--host must be an IP address")]
    [InlineData("--log-level", "loud", "--log-level must be one of")]
    public void Parse_BadValue_ThrowsArgumentExceptionNamingTheFlag(string flag, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("m", flag, value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralBadValues_ReportsEveryOne()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("m", "--port", "x", "--ttft-ms", "-1", "--embedding-dim", "0"));

        Assert.Contains("--port", error.Message, StringComparison.Ordinal);
        Assert.Contains("--ttft-ms", error.Message, StringComparison.Ordinal);
        Assert.Contains("--embedding-dim", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FlagWithoutValue_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("m", "--port"));

        Assert.Contains("--port needs a value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoDifferentModels_Throws()
    {
        Assert.Throws<ArgumentException>(() => Parse("a", "--model", "b"));
    }

    [Fact]
    public void Parse_PublicEntryPoint_ReadsArguments()
    {
        Assert.Equal("x", SimOptions.Parse(["--model", "x"]).Model);
    }

    [Fact]
    public void Validate_OptionsBuiltInCode_ThrowOnBadValues()
    {
        var options = new SimOptions { MaxNumSeqs = 0 };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void Parse_Task_IsRefusedAsCurrentVllmRefusesIt()
    {
        var e = Assert.Throws<UnrecognizedArgumentsException>(() => Parse("BAAI/bge-m3", "--task", "embed", "--port", "9000"));

        Assert.Equal("unrecognized arguments: --task embed", e.Message);
        Assert.EndsWith("vllm: error: unrecognized arguments: --task embed", e.VllmText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ModelFlag_IsNotedForTheDeprecationWarning()
    {
        Assert.True(Parse("--model", "org/m").ModelFromFlag);
        Assert.False(Parse("org/m").ModelFromFlag);
    }

    [Theory]
    [InlineData("24GiB", 24L << 30)]
    [InlineData("24576MiB", 24L << 30)]
    [InlineData("24GB", 24_000_000_000L)]
    public void Parse_SimGpuMemory_TakesACardSize(string text, long bytes)
    {
        Assert.Equal(bytes, Parse("m", "--sim-gpu-memory", text).SimGpuMemoryBytes);
        Assert.Null(Parse("m").SimGpuMemoryBytes);
        Assert.Throws<ArgumentException>(() => Parse("m", "--sim-gpu-memory", "lots"));
    }
}
