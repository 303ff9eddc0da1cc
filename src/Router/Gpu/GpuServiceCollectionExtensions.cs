using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GpuRouter.Gpu;

public static class GpuServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGpuTelemetry"/> backed by NVML and its background poll. A missing
    /// library is not an error here: telemetry turns itself off at start with one warning.
    /// </summary>
    public static IServiceCollection AddGpuTelemetry(this IServiceCollection services, NvmlOptions options)
    {
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new ArgumentException(
                "nvml: " + string.Join("; ", problems.Select(p => p.ErrorMessage)), nameof(options));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<NvmlPoller>();
        // Replace: AddRouterTelemetry may already have put the stand-in for "no GPU feature" there.
        services.Replace(ServiceDescriptor.Singleton<IGpuTelemetry>(sp => sp.GetRequiredService<NvmlPoller>()));
        services.AddHostedService(sp => sp.GetRequiredService<NvmlPoller>());
        return services;
    }
}
