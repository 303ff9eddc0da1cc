using GpuRouter.Docker;

namespace GpuRouter.Lifecycle;

/// <summary>
/// One Docker engine the router drives (this machine's, or a remote GPU host's): its client, the
/// spec factory and the starter of its containers. Each has its own events watcher and adoption.
/// </summary>
internal sealed record HostEngine(IDockerClient Docker, ContainerSpecFactory Specs, ContainerStarter Starter)
{
    public string Name => Specs.Site.Host;

    public bool IsLocal => Specs.Site.IsLocal;

    /// <summary>Whether the instance lives on this engine.</summary>
    public bool Runs(ContainerInstanceOwner owner) => (owner.Definition.Host ?? Hosts.HostsOptions.LocalName) == Name;
}
