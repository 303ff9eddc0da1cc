using System.Diagnostics;
using GpuRouter.Cli;

namespace Router.Tests.Cli;

/// <summary>
/// The built binary (the apphost <c>gpu-router</c>, as /usr/local/bin/gpu-router runs it) as a
/// process: its exit codes and that its failures are one line, never a stack trace.
/// </summary>
public sealed class CliProcessTests : IDisposable
{
    private static readonly string Binary = Path.Combine(AppContext.BaseDirectory, "gpu-router");
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-process-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ProcessStartInfo Command(params string[] args)
    {
        var info = Processes.Info(Binary, args);
        info.WorkingDirectory = _dir;
        // Nothing of the machine's own router set-up may leak in.
        foreach (var name in new[] { "GPU_ROUTER_URL", "GPU_ROUTER_ADMIN_KEY", "ROUTER_ADMIN_KEY", "ROUTER_CONFIG" }) info.Environment.Remove(name);
        info.Environment["GPU_ROUTER_ENV_FILE"] = Path.Combine(_dir, "no-env");
        return info;
    }

    [Fact]
    public async Task Status_AgainstARouter_PrintsTheTable_ExitZero()
    {
        await using var sims = new Sims();
        var sim = await sims.StartAsync("llama");
        using var router = new RouterFactory($$"""
            {{TestKeys.ClientsYaml}}
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "{{sim.BaseAddress}}", maxConcurrent: 3 }
            """);
        var info = Command("status", "--url", router.Start().ToString());
        info.Environment["GPU_ROUTER_ADMIN_KEY"] = TestKeys.Admin;

        var (code, output, error) = await Processes.RunAsync(info);

        Assert.True(code == 0, error);
        Assert.Matches(@"\nllama_0 +llama +always +0 +Ready \(endpoint\) +0/3 ", output);
    }

    [Fact]
    public async Task Unreachable_ExitThree_OneLine()
    {
        var (code, output, error) = await Processes.RunAsync(Command("gpus", "--url", "http://127.0.0.1:1"));

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Equal("", output);
        Assert.Equal("gpu-router gpus: cannot reach the router at http://127.0.0.1:1/: Connection refused (127.0.0.1:1)", error);
    }

    [Fact]
    public async Task UnknownCommand_ExitTwo_UsageOnStderr()
    {
        var (code, output, error) = await Processes.RunAsync(Command("stauts"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.StartsWith("gpu-router: unknown command 'stauts'.\nusage: gpu-router status|start|", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ExitTwoWhenInvalid_ZeroWhenValid()
    {
        var demo = Path.Combine(RepoRoot.Path, "config", "demo.yaml");
        var invalid = await Processes.RunAsync(Command("check-config", demo));
        var info = Command("check-config", demo);
        foreach (var name in new[] { "DEMO_WEBUI_KEY", "DEMO_N8N_KEY", "DEMO_ADMIN_KEY" }) info.Environment[name] = "k-" + name;
        var valid = await Processes.RunAsync(info);

        Assert.Equal(ExitCodes.Usage, invalid.Code);
        Assert.Contains("DEMO_ADMIN_KEY is not set", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(0, valid.Code);
        Assert.EndsWith("demo.yaml: valid: 6 models, 9 instances, 3 clients, 2 GPUs.", valid.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_IsStillTheDaemon_ReadingConfigRouterYaml()
    {
        // No config/router.yaml under the working directory: the daemon's own error, not the command line's usage.
        var (code, _, error) = await Processes.RunAsync(Command());

        Assert.Equal(2, code);
        Assert.StartsWith("Invalid config config/router.yaml:", error, StringComparison.Ordinal);
        Assert.Contains("cannot read the file", error, StringComparison.Ordinal);
    }
}
