using GpuRouter.Admission;
using GpuRouter.Configuration;

namespace GpuRouter.Lifecycle;

/// <summary>Makes the owner for an instance: an endpoint owner, or a container owner.</summary>
internal interface IInstanceOwnerFactory
{
    IInstanceOwner Create(InstanceDefinition definition, InstanceGate gate);
}
