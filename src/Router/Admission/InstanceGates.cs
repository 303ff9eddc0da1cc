using System.Collections.Frozen;
using GpuRouter.Instances;

namespace GpuRouter.Admission;

/// <summary>One gate per configured instance, built once at start-up; the registry takes each as the instance's load.</summary>
internal sealed class InstanceGates : IInstanceLoads
{
    private readonly FrozenDictionary<string, InstanceGate> _byName;

    public InstanceGates(ModelsOptions models, TimeProvider time)
    {
        _byName = models.Instances.ToFrozenDictionary(
            d => d.Name, d => new InstanceGate(d.Name, d.MaxConcurrent, d.MaxQueue, time), StringComparer.Ordinal);
    }

    /// <summary>The gate of a configured instance.</summary>
    /// <exception cref="KeyNotFoundException">The name is not configured (a bug: names come from the registry).</exception>
    public InstanceGate For(string instance) => _byName[instance];

    IInstanceLoad IInstanceLoads.For(string instance) => For(instance);
}
