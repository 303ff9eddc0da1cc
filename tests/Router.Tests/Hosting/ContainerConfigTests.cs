using GpuRouter.Configuration;
using GpuRouter.Hosting;

namespace Router.Tests.Hosting;

/// <summary>The config keys of the containers: env maps, caches, GPU memory, cold-start timeouts, vLLM flags.</summary>
public sealed class ContainerConfigTests
{
    private static RouterConfig Load(string models, Func<string, string?>? env = null, string extra = "") =>
        ConfigLoader.Load($"{extra}\nmodels:\n{models}", "test.yaml", env ?? (_ => null));

    private static IReadOnlyList<string> Errors(string models, Func<string, string?>? env = null, string extra = "") =>
        Assert.Throws<ConfigException>(() => Load(models, env, extra)).Errors;

    [Fact]
    public void Env_UnsetVariableAndBadName_AreErrorsNamingTheirKeys()
    {
        var errors = Errors("""
              - name: llama
                hfModel: org/m
                env: { HF_TOKEN: "${HF_TOKEN}", "2BAD": x }
                instances:
                  - { name: llama_0, gpus: [0], env: { OK: "${SET}" } }
            """, name => name == "SET" ? "yes" : null);

        Assert.Equal(
            [
                "models[0].env.HF_TOKEN: ${HF_TOKEN} is not set in the router's environment (set it, e.g. in systemd's EnvironmentFile, or remove the entry)",
                "models[0].env.2BAD: not a variable name (letters, digits and '_', not starting with a digit)",
            ],
            errors);
    }

    [Fact]
    public void Args_TaskAndModelAreRefused_QuantizationAwqIsANote()
    {
        var errors = Errors("""
              - name: bge-m3
                hfModel: BAAI/bge-m3
                args: ["--task", "embed"]
                instances:
                  - { name: bge_m3_1, gpus: [1], args: ["--model=BAAI/bge-m3"] }
            """);
        var settings = Load("""
              - name: qwen-72b
                hfModel: Qwen/Qwen2.5-72B-Instruct-AWQ
                args: ["--quantization", "awq"]
                instances:
                  - { name: qwen_72b_dual, gpus: [0, 1] }
            """);

        Assert.StartsWith("models[0].args: --task was removed from vLLM", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("models[0].instances[0].args: --model is set by the router", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("models[0].args: --quantization awq makes vLLM use its slow AWQ kernel", Assert.Single(settings.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void GpuMemoryAndCaches_AreRead_AndASizeThatIsNotOneIsAnError()
    {
        const string Model = """
              - name: llama
                hfModel: org/m
                coldStartTimeout: 45m
                instances:
                  - { name: llama_0, gpus: [0] }
            """;
        var settings = Load(Model, extra: "docker: { vllmCache: /srv/vllm-cache }\ngpus: [ { index: 0, memory: 24GiB }, { index: 1 } ]");
        var errors = Errors(Model, extra: "gpus: [ { index: 0, memory: lots } ]").ToList();

        Assert.Equal(24L << 30, settings.Gpus[0].MemoryBytes);
        Assert.Null(settings.Gpus[1].MemoryBytes);
        Assert.Equal("/srv/vllm-cache", settings.Docker.VllmCache);
        Assert.Equal(TimeSpan.FromMinutes(45), settings.Lifecycle.ColdStartTimeoutFor(settings.Instances.Single()));
        Assert.Contains("gpus[0].memory: 'lots' is not a GPU memory size (e.g. 24GiB, as nvidia-smi shows the card)", errors);
    }

    [Theory]
    [InlineData("24GiB", 24L << 30)]
    [InlineData("24576MiB", 24L << 30)]
    [InlineData("23.5GiB", 25_232_932_864L)]
    [InlineData("24GB", 24_000_000_000L)]
    public void ByteSize_CardSizes_Parse(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("-1GiB")]
    [InlineData("GiB")]
    public void ByteSize_NotASize_IsRefused(string text) => Assert.False(ByteSize.TryParse(text, out _));
}
