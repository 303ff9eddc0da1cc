using GpuRouter.Configuration;
using GpuRouter.Failures;
using GpuRouter.Hosts;
using GpuRouter.Instances;

namespace GpuRouter.Routing;

/// <summary>
/// The design's GPU rule, pure over the registry's state: a long prompt goes to the long-context
/// GPU; otherwise interactive callers go to the interactive GPU and everyone else to the batch GPU.
/// Never an instance whose context cannot hold prompt + max_tokens. A saturated choice spills to
/// a running instance of the same model with a free slot. The GPU rule names local GPUs: an
/// instance on another host is chosen in config order among those that fit. An instance whose
/// host's engine is unreachable is passed over (spill-over to the next that fits); when only such
/// instances fit, the answer is a 503 naming the host.
/// </summary>
internal sealed class InstanceSelector(RoutingOptions routing, InstanceRegistry registry, HostStatusBoard? hosts = null)
{
    private static readonly TimeSpan HostRetry = TimeSpan.FromSeconds(10);

    public Selection Select(ModelDefinition model, int promptTokens, int? maxTokens, ClientSource source)
    {
        var instances = registry.ForModel(model.Name);
        InstanceRuntime? preferred = null;
        InstanceRuntime? firstFit = null;
        string? unreachable = null;
        var gpu = PreferredGpu(promptTokens, source);
        var largest = 0;
        foreach (var instance in instances)
        {
            var d = instance.Definition;
            largest = Math.Max(largest, d.MaxModelLen ?? int.MaxValue);
            if (!d.Fits(promptTokens, maxTokens)) continue;
            if (d.Host is { } host && hosts is not null && !hosts.IsReachable(host))
            {
                unreachable ??= host;
                continue;
            }
            firstFit ??= instance;
            if (preferred is null && d.Host is null && d.Gpus.Contains(gpu)) preferred = instance;
        }
        var chosen = preferred ?? firstFit;
        if (chosen is null && unreachable is not null) return new(null, false, HostUnreachable(model, unreachable));
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
                    && other.Definition.Fits(promptTokens, maxTokens) && Reachable(other.Definition))
                    return new(other, true, null);
            }
        }
        return new(chosen, unreachable is not null, null);
    }

    public int PreferredGpu(int promptTokens, ClientSource source) =>
        promptTokens > routing.LongContextTokens ? routing.LongContextGpu
        : source == ClientSource.Interactive ? routing.InteractiveGpu
        : routing.BatchGpu;

    private bool Reachable(InstanceDefinition d) => d.Host is null || hosts is null || hosts.IsReachable(d.Host);

    private Failure HostUnreachable(ModelDefinition model, string host)
    {
        var reason = hosts?.Of(host).Reason is { } r ? $" ({r})" : "";
        return Failure.HostUnreachable(host,
            $"Host {host} is unreachable: its Docker engine does not answer{reason}, and no other instance of {model.Name} can take this request. Retry later.",
            HostRetry);
    }
}

/// <param name="SpilledOver">Not the first choice: that one was saturated, or on an unreachable host.</param>
internal readonly record struct Selection(InstanceRuntime? Instance, bool SpilledOver, Failure? Error);
