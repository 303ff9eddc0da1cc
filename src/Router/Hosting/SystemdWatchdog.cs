using Microsoft.Extensions.Hosting.Systemd;

namespace GpuRouter.Hosting;

/// <summary>
/// systemd's watchdog: Microsoft.Extensions.Hosting.Systemd says READY=1 and STOPPING=1 but
/// sends no pings. From the moment the application has started, this sends WATCHDOG=1 through the
/// package's notifier every half <c>WATCHDOG_USEC</c>, and only after <see cref="LivenessProbe"/>
/// passed: a router that stops answering or deadlocks misses them, and systemd restarts it.
/// </summary>
internal sealed partial class SystemdWatchdog(
    ISystemdNotifier notifier, LivenessProbe probe, WatchdogSettings settings, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");
    private long _probes;
    private long _pings;
    private volatile string? _failure;

    /// <summary>Probes finished so far.</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Pings sent so far.</summary>
    public long Pings => Interlocked.Read(ref _pings);

    /// <summary>Why the last probe failed; null when it passed.</summary>
    public string? Failure => _failure;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken)) return;
        LogEnabled(logger, settings.Timeout.TotalSeconds, settings.PingInterval.TotalSeconds);
        using var timer = new PeriodicTimer(settings.PingInterval, time);
        try
        {
            do
            {
                await ProbeAndPingAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: STOPPING=1 has gone out, no more pings.
        }
    }

    private async Task ProbeAndPingAsync(CancellationToken ct)
    {
        var failure = await probe.CheckAsync(ct);
        Interlocked.Increment(ref _probes);
        if (failure is null)
        {
            notifier.Notify(Ping);
            Interlocked.Increment(ref _pings);
            if (_failure is not null) LogRecovered(logger);
        }
        else if (_failure is null)
        {
            LogFailed(logger, failure);
        }
        _failure = failure;
    }

    /// <summary>Waits for ApplicationStarted (READY=1 has gone out then); false when the host stops first.</summary>
    private async Task<bool> StartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = ct.Register(() => started.TrySetCanceled(ct));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information,
        Message = "systemd watchdog: {TimeoutSeconds:0.###} s; pinging every {IntervalSeconds:0.###} s while GET /health answers and every instance owner responds")]
    private static partial void LogEnabled(ILogger logger, double timeoutSeconds, double intervalSeconds);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error,
        Message = "systemd watchdog: liveness probe failed, withholding pings (systemd restarts the router if this lasts): {Failure}")]
    private static partial void LogFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "systemd watchdog: liveness probe passes again; pinging")]
    private static partial void LogRecovered(ILogger logger);
}
