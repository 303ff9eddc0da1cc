using GpuRouter.Telemetry;

namespace GpuRouter.Http;

/// <summary>
/// The last line: an exception that escapes a handler is a bug, logged with its stack and
/// answered with an OpenAI-shaped 500 (or an aborted connection if the response had started).
/// Two kinds are not bugs: a client that went away, and a request Kestrel could not read (a body
/// cut short or too slow, on any route that reads one): that is Kestrel's status (400, 408, 413,
/// 431), logged at Information without a stack and counted like the security layer's refusals.
/// </summary>
internal sealed partial class ErrorBoundaryMiddleware(
    RequestDelegate next, ServerOptions server, RouterMetrics metrics, ILogger<ErrorBoundaryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BadHttpRequestException e)
        {
            var error = BadRequestErrors.From(e, server.MaxRequestBodyBytes);
            LogUnreadable(logger, context.Request.Method, context.Request.Path.Value ?? "", error.Status, e.Message);
            await Refusals.WriteAsync(context, metrics, error, "");
        }
        catch (Exception e)
        {
            LogUnhandled(logger, context.Request.Path.Value ?? "", e);
            await ErrorResults.WriteAsync(context, new RouterError(500, "server_error", "internal_error",
                "The router failed unexpectedly; the error is in its log."));
        }
    }

    [LoggerMessage(EventId = 1900, Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    private static partial void LogUnhandled(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "{Method} {Path} {Status}: the request could not be read ({Reason})")]
    private static partial void LogUnreadable(ILogger logger, string method, string path, int status, string reason);
}
