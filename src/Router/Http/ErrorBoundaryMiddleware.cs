namespace GpuRouter.Http;

/// <summary>
/// The last line: an exception that escapes a handler is a bug, logged with its stack and
/// answered with an OpenAI-shaped 500 (or an aborted connection if the response had started).
/// </summary>
internal sealed partial class ErrorBoundaryMiddleware(RequestDelegate next, ILogger<ErrorBoundaryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
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
}
