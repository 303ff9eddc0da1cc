using GpuRouter.Gpu;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GpuRouter.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RouterMetrics"/>. Without AddGpuTelemetry the GPU gauges stay empty
    /// (a stand-in reports telemetry off); with it, in either order, they read NVML's poll.
    /// </summary>
    public static IServiceCollection AddRouterTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<IGpuTelemetry, DisabledGpuTelemetry>();
        services.TryAddSingleton<RouterMetrics>();
        return services;
    }
}
