using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GpuRouter.Docker;

public static class DockerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDockerClient"/> as a singleton talking to
    /// <see cref="DockerOptions.Endpoint"/>. Invalid options fail here, all problems at once.
    /// Nothing connects until the first call.
    /// </summary>
    public static IServiceCollection AddDocker(this IServiceCollection services, DockerOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("docker", typeof(DockerOptions), errors);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<IDockerClient>(provider => new DockerEngineClient(
            options,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DockerEngineClient>>()));
        return services;
    }
}
