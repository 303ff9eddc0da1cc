using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VllmSim.Api;
using VllmSim.Engine;
using VllmSim.Hosting;
using VllmSim.Options;

namespace VllmSim.Endpoints;

/// <summary>
/// POST /sleep?level=0|1|2&amp;mode=abort|wait|keep, POST /wake_up[?tags=...], GET /is_sleeping:
/// vLLM's development routes (mapped only with VLLM_SERVER_DEV_MODE=1 and --enable-sleep-mode). Each call takes
/// --sleep-seconds / --wake-seconds before it answers, as offloading and reloading weights do; a
/// client that hangs up does not stop the engine half-way: only a shutdown does.
/// </summary>
internal sealed class SleepEndpoints(SimOptions options, SleepState sleep, SimStats stats, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SleepEndpoints> logger)
{
    public async Task SleepAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!int.TryParse(query["level"].FirstOrDefault() ?? "1", out var level) || level is < 0 or > 2)
        {
            await ErrorWriter.WriteAsync(context, ApiError.BadRequest($"level must be 0, 1 or 2, got '{query["level"]}'.", "level"));
            return;
        }
        if (Mode(query["mode"].FirstOrDefault() ?? "abort") is not { } mode)
        {
            await ErrorWriter.WriteAsync(context, ApiError.BadRequest($"Invalid pause mode: {query["mode"]}", "mode"));
            return;
        }
        var clock = Stopwatch.StartNew();
        sleep.Pause(mode);
        if (mode == PauseMode.Wait)
        {
            await WaitForRunningAsync();
        }
        if (level >= 1)
        {
            if (sleep.IsSleeping)
            {
                SimLog.AlreadySleeping(logger);
            }
            else
            {
                await Task.Delay(TimeSpan.FromSeconds(options.SleepSeconds), time, lifetime.ApplicationStopping);
                sleep.Offload(level);
                SimLog.FellAsleep(logger, clock.Elapsed.TotalSeconds);
            }
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    public async Task WakeUpAsync(HttpContext context)
    {
        var named = context.Request.Query["tags"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        IReadOnlyList<string>? tags = named.Count == 0 ? null : named;
        SimLog.WakeRequested(logger, tags is null ? "None" : "[" + string.Join(", ", tags.Select(t => $"'{t}'")) + "]");
        if (sleep.CannotWake(tags) is { } warning)
        {
            SimLog.NothingToWake(logger, warning);
        }
        else
        {
            var woken = tags is null ? sleep.SleepingTags : "[" + string.Join(", ", tags.Select(t => $"'{t}'")) + "]";
            var clock = Stopwatch.StartNew();
            if (options.WakeFault == WakeFault.Hang)
            {
                // Until the client gives up or the server stops; the engine stays asleep.
                using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
                await Task.Delay(Timeout.InfiniteTimeSpan, time, gone.Token);
            }
            await Task.Delay(TimeSpan.FromSeconds(options.WakeSeconds), time, lifetime.ApplicationStopping);
            if (options.WakeFault == WakeFault.Error)
            {
                SimLog.WakeFailed(logger);
                await ErrorWriter.WriteAsync(context, new ApiError(500, "CUDA error: out of memory (simulated: --wake-fault error)"));
                return;
            }
            if (options.WakeFault != WakeFault.StaysAsleep)
            {
                sleep.Wake(tags);
            }
            SimLog.WokeUp(logger, clock.Elapsed.TotalSeconds, woken);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    public async Task IsSleepingAsync(HttpContext context)
    {
        context.Response.ContentType = JsonOut.JsonContentType;
        await context.Response.WriteAsync(sleep.IsSleeping ? "{\"is_sleeping\":true}" : "{\"is_sleeping\":false}", context.RequestAborted);
    }

    private async Task WaitForRunningAsync()
    {
        while (stats.Running > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), time, lifetime.ApplicationStopping);
        }
    }

    private static PauseMode? Mode(string raw) => raw switch
    {
        "abort" => PauseMode.Abort,
        "wait" => PauseMode.Wait,
        "keep" => PauseMode.Keep,
        _ => null,
    };
}
