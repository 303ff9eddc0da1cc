using GpuRouter.Timeline;

namespace GpuRouter.Ui;

public static class UiServiceCollectionExtensions
{
    /// <summary>The status page's files and what it shows beyond /health: recent requests and state times.</summary>
    public static IServiceCollection AddUi(this IServiceCollection services)
    {
        services.AddTimeline();
        services.AddSingleton<UiAssets>();
        services.AddHostedService<UiWiring>();
        return services;
    }
}
