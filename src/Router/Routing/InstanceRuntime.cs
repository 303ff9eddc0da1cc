using GpuRouter.Admission;
using GpuRouter.Configuration;
using GpuRouter.Lifecycle;

namespace GpuRouter.Routing;

/// <summary>Everything the request path needs about one instance: its definition, its slots and its owner.</summary>
internal sealed class InstanceRuntime(InstanceDefinition definition, InstanceGate gate, IInstanceOwner owner)
{
    public InstanceDefinition Definition { get; } = definition;
    internal InstanceGate Gate { get; } = gate;
    public IInstanceOwner Owner { get; } = owner;
    public string Name => Definition.Name;

    /// <summary>All slots busy and someone already waiting: a request sent here would queue.</summary>
    internal bool Saturated => Gate.InFlight >= Gate.Limit && Gate.Queued > 0;

    internal bool HasFreeSlot => Gate.InFlight < Gate.Limit && Gate.Queued == 0;
}
