namespace GpuRouter.Schedule;

public static class ScheduleServiceCollectionExtensions
{
    public static IServiceCollection AddSchedule(this IServiceCollection services)
    {
        services.AddSingleton<ModeController>();
        services.AddSingleton<IModeState>(sp => sp.GetRequiredService<ModeController>());
        return services;
    }
}
