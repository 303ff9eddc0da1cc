using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VllmSim.Api;

namespace VllmSim.Hosting;

/// <summary>
/// The last line of defence: an exception escaping a handler is a bug of ours, never the
/// client's input, so it is logged and answered with an OpenAI-shaped 500. The crash victim's
/// <see cref="EngineCrashedException"/> is no bug: it goes on to Kestrel.
/// </summary>
internal static class EndpointGuard
{
    public static RequestDelegate Wrap(RequestDelegate handler, ILogger logger) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (EngineCrashedException)
        {
            // The crash victim: Kestrel closes its connection after what was written, without the
            // last chunk. An abort here would reset it, and the client would lose its last tokens.
            throw;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left (a cancelled read or a reset connection); nothing to answer.
        }
        catch (Exception e)
        {
            SimLog.Unexpected(logger, context.Request.Path, e);
            if (context.Response.HasStarted)
            {
                context.Abort();
            }
            else
            {
                context.Response.Clear();
                await ErrorWriter.WriteAsync(context, new ApiError(500, "Internal server error in the simulator."));
            }
        }
    };
}
