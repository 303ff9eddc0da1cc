using GpuRouter.Admission;
using GpuRouter.Configuration;
using GpuRouter.Hosting;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;

namespace Router.Tests.Routing;

public class InstanceSelectorTests
{
    private sealed class EndpointOwners : IInstanceOwnerFactory
    {
        public IInstanceOwner Create(InstanceDefinition definition, IInstanceLoad load) => new EndpointInstanceOwner(definition);
    }

    private static (InstanceSelector Selector, InstanceGates Gates, ModelDefinition Llama) Build(string extraInstances = "")
    {
        var settings = ConfigLoader.Load($$"""
            routing: { longContextTokens: 4096, interactiveGpu: 0, batchGpu: 1 }
            models:
              - name: llama
                instances:
                  - { name: llama_0, gpus: [0], endpoint: "http://127.0.0.1:1", maxModelLen: 32768, maxConcurrent: 1, maxQueue: 4 }
                  - { name: llama_1, gpus: [1], endpoint: "http://127.0.0.1:2", maxModelLen: 8192, maxConcurrent: 2, maxQueue: 4 }
                  {{extraInstances}}
            """, "test.yaml");
        var models = new ModelsOptions(settings.Models);
        var gates = new InstanceGates(models, TimeProvider.System);
        var registry = new InstanceRegistry(models, gates, new EndpointOwners());
        return (new InstanceSelector(settings.Routing, registry), gates, settings.Models[0]);
    }

    [Theory]
    [InlineData(100, ClientSource.Interactive, "llama_0")]
    [InlineData(100, ClientSource.Batch, "llama_1")]
    [InlineData(4096, ClientSource.Batch, "llama_1")]
    [InlineData(4097, ClientSource.Batch, "llama_0")]
    [InlineData(5000, ClientSource.Interactive, "llama_0")]
    public void Select_FollowsTheDesignRule(int tokens, ClientSource source, string expected)
    {
        var (selector, _, llama) = Build();
        Assert.Equal(expected, selector.Select(llama, tokens, 16, source).Instance!.Name);
    }

    [Fact]
    public void Select_PreferredGpuCannotHoldPromptPlusMaxTokens_TakesTheOneThatCan()
    {
        var (selector, _, llama) = Build();
        // Short prompt from batch prefers GPU 1 (8K), but 2000 + 7000 does not fit there.
        Assert.Equal("llama_0", selector.Select(llama, 2000, 7000, ClientSource.Batch).Instance!.Name);
    }

    [Fact]
    public void Select_NothingFits_ReturnsContextLengthExceeded()
    {
        var (selector, _, llama) = Build();
        var selection = selector.Select(llama, 30_000, 4000, ClientSource.Interactive);
        Assert.Null(selection.Instance);
        Assert.Equal("context_length_exceeded", selection.Error!.Code);
        Assert.Contains("32768", selection.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Select_SaturatedChoiceAndFreeSibling_SpillsOver()
    {
        var (selector, gates, llama) = Build();
        var gate = gates.For("llama_0");
        using var held = (await gate.AcquireAsync(RequestPriority.Interactive, TimeSpan.FromMinutes(1), default)).Lease;
        var queued = gate.AcquireAsync(RequestPriority.Interactive, TimeSpan.FromMinutes(1), default);
        var selection = selector.Select(llama, 100, 16, ClientSource.Interactive);
        Assert.Equal("llama_1", selection.Instance!.Name);
        Assert.True(selection.SpilledOver);
        held.Dispose();
        (await queued).Lease.Dispose();
    }

    [Fact]
    public async Task Select_BusyButNoQueue_StaysOnPreferredGpu()
    {
        var (selector, gates, llama) = Build();
        var gate = gates.For("llama_0");
        using var held = (await gate.AcquireAsync(RequestPriority.Interactive, TimeSpan.FromMinutes(1), default)).Lease;
        Assert.Equal("llama_0", selector.Select(llama, 100, 16, ClientSource.Interactive).Instance!.Name);
    }

    [Fact]
    public async Task Select_SaturatedButSiblingCannotHoldThePrompt_DoesNotSpill()
    {
        var (selector, gates, llama) = Build();
        var gate = gates.For("llama_0");
        using var held = (await gate.AcquireAsync(RequestPriority.Interactive, TimeSpan.FromMinutes(1), default)).Lease;
        var queued = gate.AcquireAsync(RequestPriority.Interactive, TimeSpan.FromMinutes(1), default);
        Assert.Equal("llama_0", selector.Select(llama, 10_000, 16, ClientSource.Interactive).Instance!.Name);
        held.Dispose();
        (await queued).Lease.Dispose();
    }
}
