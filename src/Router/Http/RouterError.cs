namespace GpuRouter.Http;

/// <summary>Which side failed: the router itself (or the caller's request), or the model backend.</summary>
public enum ErrorOrigin { Router, Backend }

/// <summary>
/// An expected failure as a value. <see cref="ErrorResults"/> turns it into an OpenAI-shaped body
/// in one place; nothing else writes error responses.
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
    public static RouterError BadRequest(string message, string? param = null, string code = "invalid_request") =>
        new(400, "invalid_request_error", code, message, param);

    public static RouterError ContextTooLong(string message) =>
        new(400, "invalid_request_error", "context_length_exceeded", message, "messages");

    public static RouterError Unauthorized(string message) =>
        new(401, "authentication_error", "invalid_api_key", message);

    public static RouterError Forbidden(string message) =>
        new(403, "permission_error", "address_not_allowed", message);

    public static RouterError ModelNotFound(string message) =>
        new(404, "invalid_request_error", "model_not_found", message, "model");

    public static RouterError NotFound(string message) =>
        new(404, "invalid_request_error", "not_found", message);

    public static RouterError TooLarge(long limit) =>
        new(413, "invalid_request_error", "request_too_large", $"The request body is larger than the router accepts ({limit} bytes).");

    public static RouterError RateLimited(string message, TimeSpan retryAfter) =>
        new(429, "rate_limit_error", "rate_limit_exceeded", message, RetryAfter: retryAfter);

    public static RouterError Unavailable(string code, string message, TimeSpan retryAfter, ErrorOrigin origin = ErrorOrigin.Router) =>
        new(503, "service_unavailable", code, message, RetryAfter: retryAfter, Origin: origin);

    public static RouterError BackendTimeout(string message) =>
        new(504, "timeout_error", "backend_timeout", message, Origin: ErrorOrigin.Backend);
}
