namespace GpuRouter.Instances;

/// <summary>The <c>models</c> list with their instances, as validated.</summary>
public sealed record ModelsOptions(IReadOnlyList<ModelDefinition> Models)
{
    public IEnumerable<InstanceDefinition> Instances => Models.SelectMany(m => m.Instances);
}
