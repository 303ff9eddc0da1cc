using System.Text.Json;
using GpuRouter.Cli;
using Router.Tests.Capacity;

namespace Router.Tests.Cli;

/// <summary>hash-key and check-config: the commands that need no router.</summary>
public sealed class CliLocalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-local-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task HashKey_GivenKey_PrintsWhatSha256sumPrints()
    {
        var result = await new CliRunner().RunAsync("hash-key", TestKeys.Admin);
        var (code, sha256sum, _) = await Processes.RunAsync("bash", "-c", $"printf %s '{TestKeys.Admin}' | sha256sum");

        Assert.Equal(0, result.Code);
        Assert.Equal(0, code);
        Assert.Equal($"keySha256: {sha256sum.Split(' ')[0]}\n", result.Out);
        Assert.Equal(TestKeys.Hash(TestKeys.Admin), sha256sum.Split(' ')[0]);
    }

    [Fact]
    public async Task HashKey_NoKey_MakesANewRandomKeyEachTime_WithItsHash()
    {
        var first = JsonDocument.Parse((await new CliRunner().RunAsync("hash-key", "--json")).Out).RootElement;
        var second = JsonDocument.Parse((await new CliRunner().RunAsync("hash-key", "--json")).Out).RootElement;

        var key = first.GetProperty("key").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(TestKeys.Hash(key), first.GetProperty("keySha256").GetString());
        Assert.NotEqual(key, second.GetProperty("key").GetString());
    }

    [Fact]
    public async Task HashKey_Dash_ReadsTheKeyFromStdin()
    {
        var result = await new CliRunner { Input = TestKeys.WebUi + "\n" }.RunAsync("hash-key", "-");

        Assert.Equal($"keySha256: {TestKeys.Hash(TestKeys.WebUi)}\n", result.Out);
    }

    // router.yaml names /srv/hf-cache, which this machine lacks; demo.yaml names no cache.
    [Theory]
    [InlineData("router.yaml", "WEBUI_API_KEY N8N_API_KEY ROUTER_ADMIN_KEY", "note: memory check skipped for meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("demo.yaml", "DEMO_WEBUI_KEY DEMO_N8N_KEY DEMO_ADMIN_KEY", "note: memory check skipped: docker.hfCache is not set")]
    public async Task CheckConfig_ShippedConfig_WithItsKeysSet_PassesWithTheMemoryCheckSkipped(string file, string variables, string note)
    {
        var runner = new CliRunner();
        foreach (var variable in variables.Split(' ')) runner.With(variable, "dummy-" + variable);

        var result = await runner.RunAsync("check-config", Path.Combine(RepoRoot.Path, "config", file));

        Assert.True(result.Code == 0, result.Error);
        Assert.Equal("", result.Error);
        Assert.Contains(note, result.Out, StringComparison.Ordinal);
        Assert.Contains($"{file}: valid: 6 models, 9 instances, 3 clients, 2 GPUs.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ShippedRouterYaml_WithoutItsKeys_ListsEveryMissingKey_ExitTwo()
    {
        var result = await new CliRunner().RunAsync("check-config", Path.Combine(RepoRoot.Path, "config", "router.yaml"));

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Contains("invalid, 3 problems:", result.Error, StringComparison.Ordinal);
        foreach (var variable in new[] { "WEBUI_API_KEY", "N8N_API_KEY", "ROUTER_ADMIN_KEY" })
            Assert.Contains($"environment variable {variable} is not set", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_EnvFile_SuppliesTheKeys_AsSystemdWould()
    {
        var env = Path.Combine(_dir, "env");
        File.WriteAllText(env, "# keys\nWEBUI_API_KEY=w\nN8N_API_KEY=\"n\"\nROUTER_ADMIN_KEY='a'\nHF_TOKEN=\n");

        var result = await new CliRunner().RunAsync("check-config", Path.Combine(RepoRoot.Path, "config", "router.yaml"), "--env-file", env);
        var missing = await new CliRunner().RunAsync("check-config", Path.Combine(RepoRoot.Path, "config", "router.yaml"), "--env-file", env + ".absent");

        Assert.True(result.Code == 0, result.Error);
        Assert.Equal(ExitCodes.Usage, missing.Code);
        Assert.Contains("cannot read --env-file", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ReportsTheFilesErrorsAndTheMemoryCheckTogether_AsJsonToo()
    {
        using var cache = new TestHfCache().Add("meta-llama/Llama-3.1-8B-Instruct");
        var path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, $$"""
            docker: { network: host, gpuAccess: none, hfCache: {{cache.Root}} }
            gpus: [ { index: 0, memory: 24GiB }, { index: 1, memory: 24GiB } ]
            routing: { queueTimeout: soon }
            models:
              - name: llama
                hfModel: meta-llama/Llama-3.1-8B-Instruct
                instances:
                  - { name: llama_1, gpus: [1], maxModelLen: 8192, maxConcurrent: 6, gpuMemoryUtilization: 0.60 }
                  - { name: llama_9, gpus: [9], maxModelLen: 8192 }
            """);

        var text = await new CliRunner().RunAsync("check-config", path);
        var json = await new CliRunner().RunAsync("check-config", path, "--json");

        Assert.Equal(ExitCodes.Usage, text.Code);
        Assert.Contains("routing.queueTimeout", text.Error, StringComparison.Ordinal);
        Assert.Contains("GPU 9", text.Error, StringComparison.Ordinal);
        Assert.Contains("llama_1: gpuMemoryUtilization 0.60", text.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, json.Code);
        var doc = JsonDocument.Parse(json.Out).RootElement;
        Assert.False(doc.GetProperty("valid").GetBoolean());
        Assert.Equal(3, doc.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task CheckConfig_MissingFile_ExitTwo()
    {
        var result = await new CliRunner().RunAsync("check-config", Path.Combine(_dir, "absent.yaml"));

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Contains("cannot read the file", result.Error, StringComparison.Ordinal);
    }
}
