using GpuRouter.Cli;

namespace Router.Tests.Cli;

/// <summary>What the command line does with its arguments before it talks to anything.</summary>
public sealed class CliArgumentsTests
{
    private static readonly string[] Verbs = ["status", "start", "stop", "sleep", "wake", "mode", "usage", "gpus", "hash-key", "check-config"];

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--config", "router.yaml" }, false)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:8000", "--config", "x.yaml" }, false)]
    [InlineData(new[] { "config=router.yaml" }, false)]
    [InlineData(new[] { "status" }, true)]
    [InlineData(new[] { "bogus" }, true)]
    [InlineData(new[] { "--help" }, true)]
    [InlineData(new[] { "-h" }, true)]
    [InlineData(new[] { "help", "status" }, true)]
    public void Handles_VerbsAndHelp_ButNotTheDaemonsOptions(string[] args, bool expected) =>
        Assert.Equal(expected, CliProgram.Handles(args));

    [Fact]
    public async Task Help_ListsEveryCommandAndTheExitCodes_OnStdout()
    {
        var result = await new CliRunner().RunAsync("--help");

        Assert.Equal(0, result.Code);
        Assert.Equal("", result.Error);
        foreach (var verb in Verbs) Assert.Contains($"  {verb}", result.Out, StringComparison.Ordinal);
        Assert.Contains("3 the router could not be reached", result.Out, StringComparison.Ordinal);
        Assert.Contains("GPU_ROUTER_ADMIN_KEY", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryVerb_HasHelp_ThatExitsZero()
    {
        foreach (var verb in Verbs)
        {
            var viaFlag = await new CliRunner().RunAsync(verb, "--help");
            var viaHelp = await new CliRunner().RunAsync("help", verb);

            Assert.Equal(0, viaFlag.Code);
            Assert.StartsWith($"usage: gpu-router {verb}", viaFlag.Out, StringComparison.Ordinal);
            Assert.Contains("Exit codes:", viaFlag.Out, StringComparison.Ordinal);
            Assert.Equal(viaFlag, viaHelp);
        }
    }

    [Theory]
    [InlineData(new[] { "bogus" }, "unknown command 'bogus'")]
    [InlineData(new[] { "help", "bogus" }, "unknown command 'bogus'")]
    [InlineData(new[] { "start" }, "gpu-router start: missing NAME.")]
    [InlineData(new[] { "start", "a", "b" }, "gpu-router start: unexpected argument 'b'.")]
    [InlineData(new[] { "status", "--bogus" }, "gpu-router status: unknown option '--bogus'.")]
    [InlineData(new[] { "status", "--url" }, "gpu-router status: --url needs a value.")]
    [InlineData(new[] { "status", "--url", "ftp://box" }, "'ftp://box' is not an http:// or https:// URL.")]
    [InlineData(new[] { "status", "--json=yes" }, "unknown option '--json=yes'")]
    [InlineData(new[] { "hash-key", "--url", "http://127.0.0.1:1" }, "unknown option '--url'")]
    [InlineData(new[] { "mode", "noon" }, "'noon' is not a mode; use auto, day or night.")]
    [InlineData(new[] { "usage", "--by", "gpu" }, "--by 'gpu': use client, model or user.")]
    [InlineData(new[] { "usage", "--since", "yesterday" }, "--since 'yesterday' is neither a duration")]
    [InlineData(new[] { "start", "llama_0", "--timeout", "5m" }, "--timeout goes with --wait.")]
    [InlineData(new[] { "start", "llama_0", "--wait", "--timeout", "soon" }, "--timeout 'soon' is not a duration")]
    [InlineData(new[] { "check-config" }, "gpu-router check-config: missing FILE.")]
    [InlineData(new[] { "hash-key", "" }, "the key is empty.")]
    public async Task WrongArguments_ShortUsageOnStderr_ExitTwo(string[] args, string message)
    {
        // Nothing listens on port 1: a command that got as far as the router would exit 3, not 2.
        var result = await new CliRunner().With("GPU_ROUTER_URL", "http://127.0.0.1:1").RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Equal("", result.Out);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: gpu-router", result.Error, StringComparison.Ordinal);
        Assert.True(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 4, result.Error);
    }

    [Fact]
    public async Task OptionsTakeTheirValueAfterAnEqualsSign_AndBeforeOrAfterArguments()
    {
        var runner = new CliRunner();
        var equals = await runner.RunAsync("usage", "--by=nobody");
        var before = await runner.RunAsync("start", "--timeout", "bad", "--wait", "llama_0");

        Assert.Contains("--by 'nobody'", equals.Error, StringComparison.Ordinal);
        Assert.Contains("--timeout 'bad'", before.Error, StringComparison.Ordinal);
    }
}
