namespace GpuRouter.Hosting;

// The YAML file as written by the user. Every property is optional here; ConfigValidator turns
// it into RouterConfig and reports every problem at once, naming the key.
public sealed class RouterConfigFile
{
    public ServerSection? Server { get; set; }
    public StateSection? State { get; set; }
    public HostMemorySection? Host { get; set; }
    public LoggingSection? Logging { get; set; }
    public List<ClientSection>? Clients { get; set; }
    public DockerSection? Docker { get; set; }
    public List<GpuSection>? Gpus { get; set; }
    public NvmlSection? Nvml { get; set; }
    public RoutingSection? Routing { get; set; }
    public ScheduleSection? Schedule { get; set; }
    public List<ModelSection>? Models { get; set; }
    public UsageSection? Usage { get; set; }
    public List<HostSection>? Hosts { get; set; }
}

public sealed class ServerSection
{
    public List<string>? Urls { get; set; }
    public List<string>? AllowedNetworks { get; set; }
    public long? MaxRequestBodyBytes { get; set; }
    public double? MinRequestBodyRate { get; set; }
    public string? RequestBodyGracePeriod { get; set; }
    public List<string>? CorsOrigins { get; set; }
}

public sealed class StateSection
{
    public string? Dir { get; set; }
}

public sealed class HostMemorySection
{
    public string? MemoryBudget { get; set; }
    public string? MemoryMargin { get; set; }
}

public sealed class LoggingSection
{
    public string? Level { get; set; }
    public string? File { get; set; }
}

public sealed class ClientSection
{
    public string? Name { get; set; }
    public string? Source { get; set; }
    public bool Admin { get; set; }
    public string? KeySha256 { get; set; }
    public string? KeyEnv { get; set; }
    public int? RequestsPerMinute { get; set; }
    public bool TrustUserHeaders { get; set; }
    public List<string>? Models { get; set; }
    public int? MaxConcurrent { get; set; }
    public long? TokensPerDay { get; set; }
}

public sealed class DockerSection
{
    public string? Endpoint { get; set; }
    public string? Network { get; set; }
    public string? PortRange { get; set; }
    public string? GpuAccess { get; set; }
    public string? HfCache { get; set; }
    public string? VllmCache { get; set; }
}

public sealed class GpuSection
{
    public int? Index { get; set; }
    public string? Role { get; set; }
    public string? Memory { get; set; }
}

public sealed class NvmlSection
{
    public string? Library { get; set; }
    public string? PollInterval { get; set; }
}

public sealed class RoutingSection
{
    public int? LongContextTokens { get; set; }
    public int? InteractiveGpu { get; set; }
    public int? BatchGpu { get; set; }
    public string? ColdStartTimeout { get; set; }
    public string? QueueTimeout { get; set; }
    public string? DrainTimeout { get; set; }
    public string? StreamIdleTimeout { get; set; }
    public string? HealthPollInterval { get; set; }
    public string? DefaultTtl { get; set; }
    public bool? LoadingMessages { get; set; }
}

public sealed class ScheduleSection
{
    public string? TimeZone { get; set; }
    public string? NightStart { get; set; }
    public string? NightEnd { get; set; }
    public string? NightFallback { get; set; }
}

public sealed class ModelSection
{
    public string? Name { get; set; }
    public List<string>? Aliases { get; set; }
    public string? Kind { get; set; }
    public string? Mode { get; set; }
    public string? Image { get; set; }
    public string? HfModel { get; set; }
    public string? Ttl { get; set; }
    public string? Endpoint { get; set; }
    public List<string>? Args { get; set; }
    public Dictionary<string, string>? Env { get; set; }
    public string? ColdStartTimeout { get; set; }
    public SleepSection? Sleep { get; set; }
    public List<InstanceSection>? Instances { get; set; }
}

public sealed class SleepSection
{
    public int? Level { get; set; }
    public string? HostMemory { get; set; }
    public double? ResidualShare { get; set; }
    public string? After { get; set; }
}

public sealed class InstanceSection
{
    public string? Name { get; set; }
    public List<int>? Gpus { get; set; }
    public int? MaxModelLen { get; set; }
    public int? MaxConcurrent { get; set; }
    public int? MaxQueue { get; set; }
    public double? GpuMemoryUtilization { get; set; }
    public bool Preload { get; set; }
    public string? Endpoint { get; set; }
    public List<string>? Args { get; set; }
    public Dictionary<string, string>? Env { get; set; }
    public bool SkipMemoryCheck { get; set; }
    public string? Host { get; set; }
}

public sealed class UsageSection
{
    public string? Postgres { get; set; }
}
