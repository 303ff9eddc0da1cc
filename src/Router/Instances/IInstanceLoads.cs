namespace GpuRouter.Instances;

/// <summary>Where the registry takes each instance's load from (the admission gates).</summary>
internal interface IInstanceLoads
{
    IInstanceLoad For(string instance);
}
