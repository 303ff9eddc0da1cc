namespace GpuRouter.Requests;

public static class RequestsServiceCollectionExtensions
{
    /// <summary>The per-request pipeline: body, scan, routing decision, admission, readiness, forwarding, observing.</summary>
    public static IServiceCollection AddRequests(this IServiceCollection services)
    {
        services.AddSingleton<LoadingFeedback>();
        services.AddSingleton<RequestObserver>();
        services.AddSingleton<ClientAdmission>();
        services.AddSingleton<RequestPipeline>();
        return services;
    }
}
