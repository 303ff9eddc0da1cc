using System.Collections.Frozen;

namespace GpuRouter.Instances;

/// <summary>The instances of the configuration, built once at start-up.</summary>
internal sealed class InstanceRegistry
{
    private readonly FrozenDictionary<string, InstanceRuntime> _byName;
    private readonly FrozenDictionary<string, InstanceRuntime[]> _byModel;

    public InstanceRegistry(ModelsOptions models, IInstanceLoads loads, IInstanceOwnerFactory owners)
    {
        var all = models.Instances
            .Select(d =>
            {
                var load = loads.For(d.Name);
                return new InstanceRuntime(d, load, owners.Create(d, load));
            })
            .ToList();
        All = all;
        _byName = all.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
        _byModel = all.GroupBy(r => r.Definition.Model.Name)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<InstanceRuntime> All { get; }

    public InstanceRuntime? Find(string name) => _byName.GetValueOrDefault(name);

    public IReadOnlyList<InstanceRuntime> ForModel(string model) =>
        _byModel.TryGetValue(model, out var list) ? list : [];
}
