using System.Net;

namespace GpuRouter.Configuration;

// The validated configuration: every value present, typed and checked.
public sealed class RouterSettings
{
    public required ServerSettings Server { get; init; }
    public required string StateDir { get; init; }
    public HostMemoryOptions Host { get; init; } = HostMemoryOptions.Default;
    public required LoggingSettings Logging { get; init; }
    public required IReadOnlyList<ClientDefinition> Clients { get; init; }
    public required DockerSettings Docker { get; init; }
    public required IReadOnlyList<GpuDefinition> Gpus { get; init; }
    public required NvmlSettings Nvml { get; init; }
    public required RoutingSettings Routing { get; init; }
    public required ScheduleSettings Schedule { get; init; }
    public required IReadOnlyList<ModelDefinition> Models { get; init; }
    public string? UsagePostgres { get; init; }

    /// <summary>Things worth one log line at start-up that are not errors (a check skipped, a slow flag).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public IEnumerable<InstanceDefinition> Instances => Models.SelectMany(m => m.Instances);
}

/// <param name="MinRequestBodyRate">Bytes per second a client must keep up while it sends a body; 0: no minimum.</param>
/// <param name="RequestBodyGracePeriod">How long a body may arrive slower than that before the 408.</param>
/// <param name="CorsOrigins">Browser origins allowed to call the API (CORS); empty: CORS off; "*": any.</param>
public sealed record ServerSettings(
    IReadOnlyList<string> Urls,
    IReadOnlyList<IPNetwork> AllowedNetworks,
    long MaxRequestBodyBytes,
    double MinRequestBodyRate,
    TimeSpan RequestBodyGracePeriod,
    IReadOnlyList<string> CorsOrigins);

public sealed record LoggingSettings(string Level, string? File);

public sealed record DockerSettings(
    string Endpoint, string? Network, int PortFirst, int PortLast, bool NvidiaGpus, string? HfCache, string? VllmCache = null);

/// <param name="MemoryBytes">The card's memory as nvidia-smi shows it (<c>gpus[].memory</c>); null: read it from NVML.</param>
public sealed record GpuDefinition(int Index, string Role, long? MemoryBytes = null);

public sealed record NvmlSettings(string Library, TimeSpan PollInterval);

public sealed record RoutingSettings(
    int LongContextTokens,
    int LongContextGpu,
    int InteractiveGpu,
    int BatchGpu,
    TimeSpan ColdStartTimeout,
    TimeSpan QueueTimeout,
    TimeSpan DrainTimeout,
    TimeSpan StreamIdleTimeout,
    TimeSpan HealthPollInterval,
    TimeSpan DefaultTtl,
    bool LoadingMessages)
{
    /// <summary>The model's own <c>coldStartTimeout</c> where it has one (a first start that downloads), else the routing one.</summary>
    public TimeSpan ColdStartTimeoutFor(InstanceDefinition instance) => instance.Model.ColdStartTimeout ?? ColdStartTimeout;
}

public sealed record ScheduleSettings(TimeZoneInfo TimeZone, string NightStart, string NightEnd, string? NightFallback);
