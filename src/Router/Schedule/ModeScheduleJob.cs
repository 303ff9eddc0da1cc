using Quartz;

namespace GpuRouter.Schedule;

/// <summary>Fired by the night-start and night-end cron triggers; the controller decides what that means.</summary>
[DisallowConcurrentExecution]
internal sealed class ModeScheduleJob(ModeController controller) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await controller.FollowScheduleAsync(cancellationToken);
}
