namespace GpuRouter.Hosting;

// One entry of `hosts:` as written; HostsValidator checks it.
public sealed class HostSection
{
    public string? Name { get; set; }
    public string? Docker { get; set; }
    public HostTlsSection? Tls { get; set; }
    public string? Address { get; set; }
    public string? Bind { get; set; }
    public string? PortRange { get; set; }
    public List<GpuSection>? Gpus { get; set; }
    public string? Network { get; set; }
    public string? GpuAccess { get; set; }
    public string? HfCache { get; set; }
    public string? VllmCache { get; set; }
    public string? MemoryBudget { get; set; }
}

public sealed class HostTlsSection
{
    public string? Ca { get; set; }
    public string? Cert { get; set; }
    public string? Key { get; set; }
}
