namespace GpuRouter.Timeline;

public static class TimelineServiceCollectionExtensions
{
    /// <summary>The in-memory record of what happened lately: finished requests and state changes.</summary>
    public static IServiceCollection AddTimeline(this IServiceCollection services)
    {
        services.AddSingleton(_ => new RecentRequests(RecentRequests.DefaultCapacity));
        services.AddSingleton<StateClock>();
        return services;
    }
}
