namespace GpuRouter.Lifecycle;

/// <summary>The labels that mark a container as the router's; adoption and the event watcher rely on them.</summary>
internal static class ContainerLabels
{
    public const string Managed = "gpu-router.managed";
    public const string Instance = "gpu-router.instance";
    public const string SpecHash = "gpu-router.spec-hash";
    public const string Port = "gpu-router.port";

    /// <summary>
    /// Which router started it (a hash of its state.dir): a router adopts and cleans up only its
    /// own containers, so two routers (or parallel tests) on one Docker engine leave each other alone.
    /// </summary>
    public const string Owner = "gpu-router.owner";

    public static string OwnerId(string stateDir) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(stateDir))))[..12];

    /// <summary>A label's value from Docker's (possibly absent) label map.</summary>
    public static string? Get(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;
}
