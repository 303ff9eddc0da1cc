using GpuRouter.Failures;

namespace GpuRouter.Http;

/// <summary>
/// An error response: status, OpenAI type and body fields. Domain failures become one through
/// <see cref="From"/>, the one place that decides status, type and Retry-After; the HTTP layer
/// builds the few that only HTTP knows (405, 408, 431, a backend's own status).
/// <see cref="ErrorResults"/> writes it; nothing else writes error responses.
/// </summary>
public sealed record RouterError(
    int Status,
    string Type,
    string Code,
    string Message,
    string? Param = null,
    TimeSpan? RetryAfter = null,
    ErrorOrigin Origin = ErrorOrigin.Router)
{
    public static RouterError From(Failure failure)
    {
        var (status, type) = failure.Kind switch
        {
            FailureKind.InvalidRequest => (400, "invalid_request_error"),
            FailureKind.Unauthenticated => (401, "authentication_error"),
            FailureKind.Forbidden => (403, "permission_error"),
            FailureKind.NotFound => (404, "invalid_request_error"),
            FailureKind.TooLarge => (413, "invalid_request_error"),
            FailureKind.RateLimited => (429, "rate_limit_error"),
            FailureKind.Unavailable => (503, "service_unavailable"),
            FailureKind.Timeout => (504, "timeout_error"),
            _ => (500, "server_error"),
        };
        return new RouterError(status, type, failure.Code, failure.Message, failure.Param, failure.RetryAfter, failure.Origin);
    }
}
