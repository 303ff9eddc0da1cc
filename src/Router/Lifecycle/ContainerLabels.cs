namespace GpuRouter.Lifecycle;

/// <summary>The labels that mark a container as the router's; adoption and the event watcher rely on them.</summary>
internal static class ContainerLabels
{
    public const string Managed = "gpu-router.managed";
    public const string Instance = "gpu-router.instance";
    public const string SpecHash = "gpu-router.spec-hash";
    public const string Port = "gpu-router.port";
}
