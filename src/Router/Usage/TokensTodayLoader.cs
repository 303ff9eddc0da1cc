using System.Data.Common;
using System.Net.Sockets;
using GpuRouter.Retry;
using Npgsql;

namespace GpuRouter.Usage;

/// <summary>
/// With PostgreSQL: adds what earlier runs recorded today to <see cref="TokensToday"/>, so a
/// restart does not hand every client a fresh <c>tokensPerDay</c>. Only rows from before this
/// run's start are read, so nothing is counted twice whenever the load succeeds. Start-up waits
/// for the first attempt up to <see cref="StartWait"/>; a database that is down is retried with
/// backoff in the background while the day's new usage is counted in memory.
/// </summary>
internal sealed class TokensTodayLoader(
    NpgsqlDataSource dataSource,
    TokensToday today,
    UsageTotals totals,
    UsageOptions options,
    TimeProvider time,
    ILogger<TokensTodayLoader> logger) : BackgroundService
{
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        // Budgets should hold from the first request after a restart, but a database that does
        // not answer must not keep the router from serving for long.
        await Task.WhenAny(_firstAttempt.Task, Task.Delay(StartWait, time, cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(options.RetryMin, options.RetryMax, time);
        while (true)
        {
            try
            {
                var day = today.LocalDay(time.GetUtcNow());
                var sums = await LoadAsync(today.StartOf(day), stoppingToken).WaitAsync(stoppingToken);
                today.Seed(sums, day);
                logger.TokensTodayLoaded(sums.Count, sums.Values.Sum(), day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                _firstAttempt.TrySetResult();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is DbException or TimeoutException or IOException or SocketException)
            {
                _firstAttempt.TrySetResult();
                var wait = backoff.Failed();
                logger.TokensTodayLoadFailed(wait.TotalMilliseconds, e.Message);
                await Task.Delay(wait, time, stoppingToken);
            }
        }
    }

    private async Task<Dictionary<string, long>> LoadAsync(DateTimeOffset from, CancellationToken ct)
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(UsageSql.TokensSince);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = totals.Since });
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) sums[reader.GetString(0)] = reader.GetInt64(1);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A new database the writer has not migrated yet: nothing was recorded before.
        }
        return sums;
    }
}
