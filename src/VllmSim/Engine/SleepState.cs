namespace VllmSim.Engine;

/// <summary>
/// vLLM's sleep mode: while asleep (and while falling asleep or waking) the engine schedules
/// nothing, so new requests wait; /is_sleeping turns true once sleeping has finished.
/// </summary>
internal sealed class SleepState
{
    private readonly Lock gate = new();
    private TaskCompletionSource awake = Completed();
    private volatile bool sleeping;

    public bool IsSleeping => sleeping;

    public bool IsGateOpen => awake.Task.IsCompleted;

    public Task WaitAwakeAsync(CancellationToken ct)
    {
        var task = awake.Task;
        return task.IsCompleted ? Task.CompletedTask : task.WaitAsync(ct);
    }

    /// <summary>Stops scheduling at once; <see cref="IsSleeping"/> follows when <paramref name="settled"/> ends.</summary>
    public async Task SleepAsync(Func<Task> settled)
    {
        lock (gate)
        {
            if (awake.Task.IsCompleted)
            {
                awake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        await settled();
        sleeping = true;
    }

    /// <summary>Resumes scheduling once <paramref name="settled"/> ends.</summary>
    public async Task WakeAsync(Func<Task> settled)
    {
        await settled();
        lock (gate)
        {
            sleeping = false;
            awake.TrySetResult();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
