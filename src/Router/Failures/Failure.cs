namespace GpuRouter.Failures;

/// <summary>
/// An expected failure as a domain value, produced where it happens (<c>queue_full</c>,
/// <c>start_failed</c>, <c>context_length_exceeded</c>, ...): a kind, a stable code and a message
/// for the caller, with the parameter at fault and how long to wait where they are known. The HTTP
/// layer maps it to a status, an OpenAI type and <c>Retry-After</c> in one place.
/// </summary>
public sealed record Failure(
    FailureKind Kind,
    string Code,
    string Message,
    string? Param = null,
    TimeSpan? RetryAfter = null,
    ErrorOrigin Origin = ErrorOrigin.Router)
{
    public static Failure InvalidRequest(string message, string? param = null, string code = "invalid_request") =>
        Of(FailureKind.InvalidRequest, code, message, param);

    public static Failure ContextTooLong(string message) =>
        Of(FailureKind.InvalidRequest, code: "context_length_exceeded", message, "messages");

    public static Failure Unauthorized(string message) =>
        Of(FailureKind.Unauthenticated, code: "invalid_api_key", message);

    public static Failure Forbidden(string code, string message) => Of(FailureKind.Forbidden, code, message);

    public static Failure ModelNotFound(string message) =>
        Of(FailureKind.NotFound, code: "model_not_found", message, "model");

    /// <summary>A model outside the key's <c>models</c> scope; the message names what the key may use.</summary>
    public static Failure ModelNotAllowed(string message) =>
        Of(FailureKind.Forbidden, code: "model_not_allowed", message, "model");

    public static Failure NotFound(string message) => Of(FailureKind.NotFound, code: "not_found", message);

    public static Failure TooLarge(long limit) =>
        Of(FailureKind.TooLarge, code: "request_too_large", $"The request body is larger than the router accepts ({limit} bytes).");

    public static Failure RateLimited(string message, TimeSpan retryAfter, string code = "rate_limit_exceeded") =>
        Of(FailureKind.RateLimited, code, message) with { RetryAfter = retryAfter };

    public static Failure Unavailable(string code, string message, TimeSpan retryAfter, ErrorOrigin origin = ErrorOrigin.Router) =>
        new(FailureKind.Unavailable, code, message, RetryAfter: retryAfter, Origin: origin);

    /// <summary>The engine of the host an instance lives on cannot be reached; the message names the host.</summary>
    public static Failure HostUnreachable(string host, string message, TimeSpan retryAfter) =>
        new(FailureKind.Unavailable, HostUnreachableCode, message, RetryAfter: retryAfter);

    public const string HostUnreachableCode = "host_unreachable";

    public static Failure BackendTimeout(string message) =>
        new(FailureKind.Timeout, "backend_timeout", message, Origin: ErrorOrigin.Backend);

    private static Failure Of(FailureKind kind, string code, string message, string? param = null) => new(kind, code, message, param);
}
