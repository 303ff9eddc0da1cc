using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Gpu;
using GpuRouter.Hosts;
using GpuRouter.Http;
using GpuRouter.Instances;
using GpuRouter.Lifecycle;
using GpuRouter.Routing;
using GpuRouter.Schedule;
using GpuRouter.Security;
using GpuRouter.Usage;

namespace GpuRouter.Hosting;

/// <summary>
/// The validated config file, every value present, typed and checked: each feature's options as
/// the one loader bound them. Only the host sees the whole; <see cref="RouterConfigServiceCollectionExtensions"/>
/// gives each feature its own options, so no feature takes the whole file.
/// </summary>
internal sealed class RouterConfig
{
    public required ServerOptions Server { get; init; }

    /// <summary><c>state.dir</c>, absolute: given to Lifecycle (the containers' owner id) and Schedule (the mode override).</summary>
    public required string StateDir { get; init; }
    public required LoggingOptions Logging { get; init; }
    public required IReadOnlyList<ClientDefinition> Clients { get; init; }
    public required DockerOptions Docker { get; init; }
    public required IReadOnlyList<GpuDefinition> Gpus { get; init; }
    public required NvmlOptions Nvml { get; init; }
    public required RoutingOptions Routing { get; init; }
    public required LifecycleOptions Lifecycle { get; init; }
    public required ScheduleOptions Schedule { get; init; }

    /// <summary><c>host:</c> the RAM sleeping weights may take (sleep mode).</summary>
    public HostMemoryOptions Host { get; init; } = HostMemoryOptions.Default;
    public required IReadOnlyList<ModelDefinition> Models { get; init; }
    public required UsageOptions Usage { get; init; }

    /// <summary>GPU hosts besides this one (<c>hosts:</c>); none by default.</summary>
    public HostsOptions Hosts { get; init; } = HostsOptions.None;

    /// <summary>Things worth one log line at start-up that are not errors (a check skipped, a slow flag).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public IEnumerable<InstanceDefinition> Instances => Models.SelectMany(m => m.Instances);
}
