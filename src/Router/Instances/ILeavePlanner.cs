using GpuRouter.Configuration;

namespace GpuRouter.Instances;

/// <summary>Decides, for a mode switch, which leaving instances may sleep beside the arriving ones instead of stopping.</summary>
internal interface ILeavePlanner
{
    IReadOnlySet<string> MaySleep(IReadOnlyList<InstanceDefinition> leaving, IReadOnlyList<InstanceDefinition> arriving);
}
