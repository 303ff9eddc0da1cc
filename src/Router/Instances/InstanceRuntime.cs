
namespace GpuRouter.Instances;

/// <summary>Everything the request path needs about one instance: its definition, its load and its owner.</summary>
internal sealed class InstanceRuntime(InstanceDefinition definition, IInstanceLoad load, IInstanceOwner owner)
{
    public InstanceDefinition Definition { get; } = definition;
    public IInstanceLoad Load { get; } = load;
    public IInstanceOwner Owner { get; } = owner;
    public string Name => Definition.Name;

    /// <summary>All slots busy and someone already waiting: a request sent here would queue.</summary>
    public bool Saturated => Load.InFlight >= Load.Limit && Load.Queued > 0;

    public bool HasFreeSlot => Load.InFlight < Load.Limit && Load.Queued == 0;
}
