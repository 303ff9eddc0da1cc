using GpuRouter.Hosting;
using GpuRouter.Configuration;

namespace Router.Tests.Hosting;

/// <summary>host: and models[].sleep: parsed, defaulted, and every mistake reported at once, naming its key.</summary>
public sealed class SleepConfigTests
{
    private static RouterConfig Load(string models, string extra = "") =>
        ConfigLoader.Load($"{extra}\nmodels:\n{models}", "test.yaml", _ => null);

    private static IReadOnlyList<string> Errors(string models, string extra = "") =>
        Assert.Throws<ConfigException>(() => Load(models, extra)).Errors;

    [Fact]
    public void Sleep_AllKeys_AreReadWithTheirUnits()
    {
        var settings = Load("""
              - name: llama
                hfModel: org/llama
                ttl: 30m
                sleep: { level: 1, hostMemory: 16GiB, residualShare: 0.06, after: 10m }
                instances:
                  - { name: llama_0, gpus: [0], gpuMemoryUtilization: 0.9 }
            """, "host: { memoryBudget: 96GiB, memoryMargin: 4GiB }");

        var sleep = settings.Models[0].Sleep!;
        Assert.Equal(new SleepOptions(1, 16L << 30, 0.06, TimeSpan.FromMinutes(10)), sleep);
        Assert.Equal(16L << 30, sleep.HeldHostMemoryBytes);
        Assert.Equal(new HostMemoryOptions(96L << 30, 4L << 30), settings.Host);
    }

    [Fact]
    public void Sleep_Defaults_Level1Residual005NoAfter_Level2HoldsNoHostMemory_NoHostSectionMeansHalfOfMemTotal()
    {
        var settings = Load("""
              - name: llama
                hfModel: org/llama
                sleep: { hostMemory: 15GiB }
                instances: [{ name: llama_0, gpus: [0] }]
              - name: coder
                hfModel: org/coder
                sleep: { level: 2 }
                instances: [{ name: coder_0, gpus: [0] }]
              - name: bge
                hfModel: org/bge
                instances: [{ name: bge_1, gpus: [1] }]
            """);

        Assert.Equal(new SleepOptions(1, 15L << 30, 0.05, null), settings.Models[0].Sleep);
        Assert.Equal(0, settings.Models[1].Sleep!.HeldHostMemoryBytes);
        Assert.Null(settings.Models[2].Sleep);
        Assert.Null(settings.Host.MemoryBudgetBytes);
    }

    [Fact]
    public void Sleep_EveryMistake_IsReportedAtOnceNamingItsKey()
    {
        var errors = Errors("""
              - name: llama
                hfModel: org/llama
                ttl: 10m
                sleep: { level: 3, residualShare: 1.5, after: 10m }
                instances: [{ name: llama_0, gpus: [0] }]
              - name: coder
                hfModel: org/coder
                sleep: { hostMemory: lots, after: soon }
                instances: [{ name: coder_0, gpus: [0] }]
              - name: qwen
                hfModel: org/qwen
                sleep: { hostMemory: 16GiB, residualShare: 0.3 }
                instances: [{ name: qwen_0, gpus: [0], gpuMemoryUtilization: 0.3 }]
              - name: dgx
                endpoint: http://dgx:8000
                sleep: { hostMemory: 16GiB }
            """, "host: { memoryBudget: plenty, memoryMargin: -1GiB }");

        Assert.Equal(
            [
                "host.memoryBudget: 'plenty' is not a memory size (e.g. 96GiB)",
                "host.memoryMargin: '-1GiB' is not a memory size (e.g. 2GiB)",
                "models[0].sleep.level: 3 is not 1 (weights kept in host RAM) or 2 (weights dropped, reloaded on wake)",
                "models[0].sleep.residualShare: 1.5 is not in [0, 1)",
                "models[0].sleep.after: 10m must be shorter than the model's ttl (10m), or it would be stopped before it sleeps",
                "models[1].sleep.hostMemory: 'lots' is not a memory size (e.g. 16GiB)",
                "models[1].sleep.after: 'soon' is not a positive duration (e.g. 10m)",
                "models[2].instances[0].gpuMemoryUtilization: 0.3 must be larger than the model's sleep.residualShare (0.3), or sleeping frees nothing",
                "models[3].sleep: a model that is only an endpoint is never started, so it cannot sleep",
            ],
            errors.Where(e => e.Contains("sleep", StringComparison.Ordinal) || e.StartsWith("host.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Sleep_Level1WithoutHostMemory_IsAnError()
    {
        Assert.Equal(
            ["models[0].sleep.hostMemory: is required at level 1 (the RAM the weights take while asleep, e.g. 16GiB for an 8B model in 16-bit)"],
            Errors("""
                  - name: llama
                    hfModel: org/llama
                    sleep: { level: 1 }
                    instances: [{ name: llama_0, gpus: [0] }]
                """));
    }

    [Fact]
    public void Thousandths_MakeShareSumsExact()
    {
        Assert.Equal(1000, Thousandths.Of(0.95) + Thousandths.Of(0.05));
        Assert.Equal(1010, Thousandths.Of(0.95) + Thousandths.Of(0.06));
        Assert.Equal(1000, Thousandths.Of(0.1) * 10);
    }
}
