using GpuRouter.Configuration;
using GpuRouter.Failures;
using GpuRouter.Instances;

namespace GpuRouter.Routing;

/// <summary>
/// The design's GPU rule, pure over the registry's state: a long prompt goes to the long-context
/// GPU; otherwise interactive callers go to the interactive GPU and everyone else to the batch GPU.
/// Never an instance whose context cannot hold prompt + max_tokens. A saturated choice spills to
/// a running instance of the same model with a free slot.
/// </summary>
internal sealed class InstanceSelector(RoutingOptions routing, InstanceRegistry registry)
{
    public Selection Select(ModelDefinition model, int promptTokens, int? maxTokens, ClientSource source)
    {
        var instances = registry.ForModel(model.Name);
        InstanceRuntime? preferred = null;
        InstanceRuntime? firstFit = null;
        var gpu = PreferredGpu(promptTokens, source);
        var largest = 0;
        foreach (var instance in instances)
        {
            var d = instance.Definition;
            largest = Math.Max(largest, d.MaxModelLen ?? int.MaxValue);
            if (!d.Fits(promptTokens, maxTokens)) continue;
            firstFit ??= instance;
            if (preferred is null && d.Gpus.Contains(gpu)) preferred = instance;
        }
        var chosen = preferred ?? firstFit;
        if (chosen is null)
        {
            var asked = promptTokens + Math.Max(maxTokens ?? 1, 1);
            return new(null, false, Failure.ContextTooLong(
                $"This model's maximum context length is {largest} tokens. However, you requested about {asked} tokens ({promptTokens} estimated in the messages, {maxTokens ?? 0} in the completion). Please reduce the length of the messages or completion."));
        }
        if (chosen.Saturated)
        {
            foreach (var other in instances)
            {
                if (other != chosen && other.HasFreeSlot && other.Owner.State == InstanceState.Ready
                    && other.Definition.Fits(promptTokens, maxTokens))
                    return new(other, true, null);
            }
        }
        return new(chosen, false, null);
    }

    public int PreferredGpu(int promptTokens, ClientSource source) =>
        promptTokens > routing.LongContextTokens ? routing.LongContextGpu
        : source == ClientSource.Interactive ? routing.InteractiveGpu
        : routing.BatchGpu;
}

internal readonly record struct Selection(InstanceRuntime? Instance, bool SpilledOver, Failure? Error);
