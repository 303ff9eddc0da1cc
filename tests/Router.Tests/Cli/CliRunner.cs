using GpuRouter.Cli;

namespace Router.Tests.Cli;

/// <summary>What one command printed and returned.</summary>
internal sealed record CliResult(int Code, string Out, string Error);

/// <summary>
/// Runs the command line's entry method in-process with captured output, a made-up environment
/// (never the test process's: the machine's /etc/gpu-router/env must not leak in) and a clock.
/// </summary>
internal sealed class CliRunner
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal)
    {
        ["GPU_ROUTER_ENV_FILE"] = Path.Combine(Path.GetTempPath(), "no-such-gpu-router-env"),
    };

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string Input { get; init; } = "";

    /// <summary>A runner for the router at <paramref name="address"/> with the admin key, through the environment as operators set it.</summary>
    public static CliRunner For(Uri address, string? key = TestKeys.Admin)
    {
        var runner = new CliRunner().With("GPU_ROUTER_URL", address.ToString());
        return key is null ? runner : runner.With("GPU_ROUTER_ADMIN_KEY", key);
    }

    public CliRunner With(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(Input);
        var context = new CliContext(output, error, input, name => _environment.GetValueOrDefault(name), Time);
        var code = await CliProgram.RunAsync(args, context);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
