using Quartz;

namespace GpuRouter.Schedule;

public static class ScheduleServiceCollectionExtensions
{
    public static IServiceCollection AddSchedule(this IServiceCollection services, ScheduleOptions schedule)
    {
        services.AddSingleton(sp => new OverrideStore(schedule.StateDir, sp.GetRequiredService<ILogger<OverrideStore>>()));
        services.AddSingleton<ModeController>();
        services.AddSingleton<IModeState>(sp => sp.GetRequiredService<ModeController>());
        services.AddHostedService(sp => sp.GetRequiredService<ModeController>());
        services.AddTransient<ModeScheduleJob>();
        var zone = schedule.TimeZone;
        services.AddQuartz(q =>
        {
            // Quartz handles the time zone and daylight saving; a trigger missed while the router was
            // down does not matter, because start-up computes the mode from the schedule anyway.
            q.ScheduleJob<ModeScheduleJob>(
                t => t.WithIdentity("night-start").WithCronSchedule(schedule.NightStart, c => c.InTimeZone(zone)),
                j => j.WithIdentity("mode-switch-night-start"));
            q.ScheduleJob<ModeScheduleJob>(
                t => t.WithIdentity("night-end").WithCronSchedule(schedule.NightEnd, c => c.InTimeZone(zone)),
                j => j.WithIdentity("mode-switch-night-end"));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        return services;
    }
}
