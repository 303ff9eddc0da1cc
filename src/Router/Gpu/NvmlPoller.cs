using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GpuRouter.Gpu;

/// <summary>
/// GPU telemetry backed by NVML: opens it once at start, then reads every GPU on a
/// <see cref="TimeProvider"/> timer and on demand. When NVML is missing or will not initialize,
/// telemetry stays off (one warning) and <see cref="Current"/> stays empty.
/// </summary>
internal sealed class NvmlPoller(NvmlOptions options, TimeProvider time, ILogger<NvmlPoller> logger)
    : BackgroundService, IGpuTelemetry
{
    // One lock for open, read-and-publish and dispose: NVML calls never overlap (a lost GPU can
    // make them slow) and a snapshot is never replaced by an older one finishing later.
    private readonly Lock gate = new();
    private NvmlSession? session;
    private bool opened;
    private volatile GpuSnapshot current = GpuSnapshot.Empty;

    public bool Enabled => Volatile.Read(ref session) is not null;

    public GpuSnapshot Current => current;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        return base.StartAsync(cancellationToken);
    }

    public Task<GpuSnapshot> RefreshAsync(CancellationToken cancellationToken) =>
        EnsureOpen() ? Task.Run(Poll, cancellationToken) : Task.FromResult(current);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave StartAsync at once: the first reading must not hold up the host's start.
        await Task.Yield();
        if (!EnsureOpen())
        {
            return;
        }

        using var timer = new PeriodicTimer(options.PollInterval, time);
        try
        {
            do
            {
                Poll();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; nothing is left half done.
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        lock (gate)
        {
            var open = session;
            Volatile.Write(ref session, null);
            open?.Dispose();
        }
    }

    private bool EnsureOpen()
    {
        lock (gate)
        {
            if (!opened)
            {
                opened = true;
                Volatile.Write(ref session, NvmlSession.Open(options, time, logger));
            }

            return session is not null;
        }
    }

    private GpuSnapshot Poll()
    {
        lock (gate)
        {
            // Disposed while this read waited for the lock: keep the last reading.
            if (session is null)
            {
                return current;
            }

            var snapshot = session.Read();
            current = snapshot;
            return snapshot;
        }
    }
}
