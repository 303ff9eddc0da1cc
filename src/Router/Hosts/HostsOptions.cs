namespace GpuRouter.Hosts;

/// <summary>
/// The GPU hosts besides this one (config <c>hosts</c>). An instance with a <c>host</c> is started
/// on that host's engine; one without lives on the local engine (<c>docker</c>), as before.
/// </summary>
public sealed class HostsOptions
{
    /// <summary>What <c>host</c> may not be called: it stands for this machine's engine in views.</summary>
    public const string LocalName = "local";

    public static readonly HostsOptions None = new([]);

    public HostsOptions(IReadOnlyList<GpuHostOptions> hosts) => Hosts = hosts;

    public IReadOnlyList<GpuHostOptions> Hosts { get; }

    public GpuHostOptions? Find(string name) => Hosts.FirstOrDefault(h => h.Name == name);
}
