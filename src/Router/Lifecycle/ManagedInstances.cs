using System.Collections.Frozen;

namespace GpuRouter.Lifecycle;

/// <summary>The container owners by instance name: what the watcher, the sweeper and adoption act on.</summary>
internal sealed class ManagedInstances
{
    private FrozenDictionary<string, ContainerInstanceOwner> _owners = FrozenDictionary<string, ContainerInstanceOwner>.Empty;

    public IEnumerable<ContainerInstanceOwner> All => _owners.Values;

    public ContainerInstanceOwner? Find(string name) => _owners.GetValueOrDefault(name);

    public void Add(ContainerInstanceOwner owner) =>
        _owners = _owners.Append(new(owner.Definition.Name, owner)).ToFrozenDictionary(StringComparer.Ordinal);
}
