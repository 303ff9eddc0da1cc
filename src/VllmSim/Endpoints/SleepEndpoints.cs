using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VllmSim.Api;
using VllmSim.Engine;
using VllmSim.Hosting;

namespace VllmSim.Endpoints;

/// <summary>
/// POST /sleep, POST /wake_up, GET /is_sleeping (vLLM's sleep mode). Each call takes
/// --sleep-seconds / --wake-seconds before it answers, as offloading and reloading weights do.
/// A client that hangs up does not stop the engine half-way: only a shutdown does.
/// </summary>
internal sealed class SleepEndpoints(SimOptions options, SleepState sleep, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SleepEndpoints> logger)
{
    public async Task SleepAsync(HttpContext context)
    {
        await sleep.SleepAsync(() => Task.Delay(TimeSpan.FromSeconds(options.SleepSeconds), time, lifetime.ApplicationStopping));
        SimLog.SleepState(logger, "sleeping");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    public async Task WakeUpAsync(HttpContext context)
    {
        await sleep.WakeAsync(() => Task.Delay(TimeSpan.FromSeconds(options.WakeSeconds), time, lifetime.ApplicationStopping));
        SimLog.SleepState(logger, "awake");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    public async Task IsSleepingAsync(HttpContext context)
    {
        context.Response.ContentType = JsonOut.JsonContentType;
        await context.Response.WriteAsync(sleep.IsSleeping ? "{\"is_sleeping\":true}" : "{\"is_sleeping\":false}", context.RequestAborted);
    }
}
