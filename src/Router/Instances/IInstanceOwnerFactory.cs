
namespace GpuRouter.Instances;

/// <summary>Makes the owner for an instance: an endpoint owner, or a container owner.</summary>
internal interface IInstanceOwnerFactory
{
    IInstanceOwner Create(InstanceDefinition definition, IInstanceLoad load);
}
