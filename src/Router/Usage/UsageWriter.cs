using System.Data.Common;
using System.Net.Sockets;
using System.Threading.Channels;
using GpuRouter.Retry;
using Npgsql;

namespace GpuRouter.Usage;

/// <summary>
/// Moves usage events from the recorder's channel into PostgreSQL: migrates the schema first,
/// then writes batches of up to <see cref="UsageOptions.BatchSize"/> rows, at most
/// <see cref="UsageOptions.FlushInterval"/> apart. While PostgreSQL is unreachable the events
/// wait in <see cref="PendingEvents"/> and each failed step is retried with a doubling backoff,
/// so nothing buffered is lost when it returns.
/// </summary>
/// <remarks>
/// No /ready condition is registered here on purpose: usage is not on the request path, so a
/// database that is down must neither keep the router from starting nor take it out of
/// rotation; the events wait in memory instead, and /admin/usage shows the state.
/// </remarks>
internal sealed class UsageWriter(
    UsageRecorder recorder,
    PendingEvents pending,
    UsageStore store,
    UsageMigrator migrator,
    UsageStatus status,
    UsageOptions options,
    TimeProvider time,
    ILogger<UsageWriter> logger) : BackgroundService
{
    private readonly List<UsageEvent> _batch = new(options.BatchSize);
    private readonly Backoff _backoff = new(options.RetryMin, options.RetryMax, time);
    private long _retryAt;
    private long _lastWrite;
    private bool _migrated;
    private bool _failing;
    private bool _dropping;
    private long _reportedChannelDrops;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up must never wait on the database: leave StartAsync before touching it.
        await Task.Yield();
        var reader = recorder.Reader ?? throw new InvalidOperationException("The usage writer runs only with usage.postgres set.");
        try
        {
            await RunAsync(reader, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is buffered is written below.
        }
        catch (Exception e)
        {
            // A BackgroundService that throws stops the whole host; usage must never do that.
            logger.WriterCrashed(e);
            status.Failed("writer stopped: " + e.Message, time.GetUtcNow());
            return;
        }
        await FlushOnStopAsync(reader);
    }

    // Every database call is also wrapped in WaitAsync(ct): Npgsql does not always observe the
    // token while a connection is being set up (a server that accepts TCP and never answers),
    // and shutdown must not wait for its connect timeout. The insert is idempotent, so a write
    // abandoned here and repeated by the final flush is harmless.
    private async Task RunAsync(ChannelReader<UsageEvent> reader, CancellationToken ct)
    {
        Task<bool>? arrived = null;
        Task? timer = null;
        long timerDue = 0;
        while (!ct.IsCancellationRequested)
        {
            Drain(reader);
            var now = time.GetTimestamp();
            if (now >= _retryAt)
            {
                if (!_migrated)
                {
                    await MigrateAsync(ct);
                    continue;
                }
                if (pending.Count >= options.BatchSize || (pending.Count > 0 && now >= FlushAt()))
                {
                    await WriteBatchAsync(ct);
                    continue;
                }
            }

            // Sleep until an event arrives or the next flush or retry is due. The two waits are
            // kept across turns so an idle writer does not pile up waiters or timers.
            if (arrived is null || arrived.IsCompleted) arrived = reader.WaitToReadAsync(ct).AsTask();
            var due = NextDue();
            if (due is null)
            {
                await arrived;
                continue;
            }
            if (timer is null || timer.IsCompleted || timerDue != due.Value)
            {
                var delay = time.GetElapsedTime(now, due.Value);
                if (delay <= TimeSpan.Zero) continue;
                timer = Task.Delay(delay, time, ct);
                timerDue = due.Value;
            }
            await Task.WhenAny(arrived, timer);
        }
    }

    /// <summary>When the next migration or write may run; null when only new events can give work.</summary>
    private long? NextDue()
    {
        if (!_migrated) return _retryAt;
        if (pending.Count == 0) return null;
        return Math.Max(FlushAt(), _retryAt);
    }

    private long FlushAt() => _lastWrite + Ticks(options.FlushInterval);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private void Drain(ChannelReader<UsageEvent> reader)
    {
        while (reader.TryRead(out var e))
        {
            if (!pending.Add(e) && !_dropping)
            {
                _dropping = true;
                logger.BufferFull(options.MaxBuffered, pending.Dropped);
            }
        }
        var channelDrops = recorder.DroppedWhenFull;
        if (channelDrops != _reportedChannelDrops)
        {
            _reportedChannelDrops = channelDrops;
            logger.ChannelFull(channelDrops);
        }
    }

    private async Task MigrateAsync(CancellationToken ct)
    {
        try
        {
            var applied = await migrator.MigrateAsync(ct).WaitAsync(ct);
            _migrated = true;
            status.Migrated(migrator.LatestVersion);
            logger.Migrated(migrator.LatestVersion, applied);
            Succeeded(pending.Count);
        }
        catch (Exception e) when (IsDatabaseFailure(e, ct))
        {
            var retry = Failed(e);
            logger.MigrationFailed(retry.TotalMilliseconds, e.Message);
        }
    }

    private async Task WriteBatchAsync(CancellationToken ct)
    {
        pending.Peek(_batch, options.BatchSize);
        var buffered = pending.Count;
        try
        {
            await store.WriteAsync(_batch, ct).WaitAsync(ct);
            pending.Remove(_batch.Count);
            status.Wrote(_batch.Count);
            logger.Wrote(_batch.Count);
            Succeeded(buffered);
        }
        catch (PostgresException e) when (IsBadData(e))
        {
            // The server read the batch and refused its content: the same rows would be
            // refused forever and block everything behind them.
            pending.Remove(_batch.Count);
            status.RejectedBatch(_batch.Count, e.Message, time.GetUtcNow());
            logger.BatchRejected(_batch.Count, e.Message);
        }
        catch (Exception e) when (IsDatabaseFailure(e, ct))
        {
            var retry = Failed(e);
            logger.WriteFailed(_batch.Count, pending.Count, pending.Dropped + recorder.DroppedWhenFull, retry.TotalMilliseconds, e.Message);
        }
        _lastWrite = time.GetTimestamp();
    }

    private void Succeeded(int buffered)
    {
        if (_failing) logger.Recovered(buffered);
        _failing = false;
        _dropping = false;
        _backoff.Succeeded();
        _retryAt = 0;
    }

    private TimeSpan Failed(Exception e)
    {
        _failing = true;
        status.Failed(e.Message, time.GetUtcNow());
        var retry = _backoff.Failed();
        _retryAt = time.GetTimestamp() + Ticks(retry);
        return retry;
    }

    /// <summary>Best effort within <see cref="UsageOptions.ShutdownFlushTimeout"/>: a stop should not lose the last second.</summary>
    private async Task FlushOnStopAsync(ChannelReader<UsageEvent> reader)
    {
        Drain(reader);
        if (pending.Count == 0) return;
        using var timeout = new CancellationTokenSource(options.ShutdownFlushTimeout, time);
        try
        {
            if (!_migrated)
            {
                await migrator.MigrateAsync(timeout.Token).WaitAsync(timeout.Token);
                _migrated = true;
            }
            while (pending.Count > 0)
            {
                pending.Peek(_batch, options.BatchSize);
                await store.WriteAsync(_batch, timeout.Token).WaitAsync(timeout.Token);
                pending.Remove(_batch.Count);
                status.Wrote(_batch.Count);
            }
        }
        catch (Exception e)
        {
            // Whatever it is (the server gone, the time up, the data source already disposed by
            // a host that stopped waiting), the rest is lost: say how much, and let shutdown go on.
            logger.LostAtShutdown(pending.Count, e.Message);
        }
    }

    // Class 22 is "data exception", 23 "integrity constraint violation".
    private static bool IsBadData(PostgresException e) =>
        e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal);

    // What an unreachable, restarting or overloaded server looks like; anything else is a bug.
    private static bool IsDatabaseFailure(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is DbException or TimeoutException or IOException or SocketException;
}
