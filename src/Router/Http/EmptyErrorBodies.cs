using GpuRouter.Failures;

namespace GpuRouter.Http;

/// <summary>
/// Statuses answered with an empty body (no route: 404; a known route with the wrong method: 405,
/// with routing's Allow header; 431 for huge headers, ...) get an OpenAI-shaped body too, so
/// clients always find error.message. Checked by <see cref="ErrorBoundaryMiddleware"/> once the
/// rest of the pipeline has run: what ASP.NET Core's status code pages and a catch-all fallback
/// route did, without their per-request cost (an Items dictionary, a middleware's state machine,
/// and route values for the catch-all on every request that routing matched elsewhere).
/// </summary>
internal static class EmptyErrorBodies
{
    /// <summary>Status code pages' rule: an error status with nothing written and no body announced.</summary>
    public static bool Apply(HttpResponse response) =>
        !response.HasStarted && response.StatusCode is >= 400 and < 600
        && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType);

    public static Task WriteAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var status = context.Response.StatusCode;
        RouterError error;
        if (status == StatusCodes.Status404NotFound && context.GetEndpoint() is null)
        {
            error = RouterError.From(Failure.NotFound($"No route {request.Method} {path}."));
        }
        else if (status == StatusCodes.Status405MethodNotAllowed)
        {
            var allowed = context.Response.Headers.Allow.ToString();
            var use = allowed.Length == 0 ? "" : "; use " + string.Join(" or ", allowed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            error = new RouterError(405, "invalid_request_error", "method_not_allowed", $"{request.Method} is not allowed on {path}{use}.");
        }
        else
        {
            error = new RouterError(status, status >= 500 ? "server_error" : "invalid_request_error", $"http_{status}",
                $"The request failed with status {status}.");
        }
        return ErrorResults.WriteAsync(context, error);
    }
}
