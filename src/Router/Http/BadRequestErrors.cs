using GpuRouter.Failures;

namespace GpuRouter.Http;

/// <summary>
/// Kestrel's verdict on a request it could not read (<see cref="BadHttpRequestException"/>: a body
/// cut short, too slow, too large, malformed chunks) as an OpenAI-shaped error with Kestrel's own
/// status. The client's fault, never the router's: no 500, no stack trace.
/// </summary>
public static class BadRequestErrors
{
    public static RouterError From(BadHttpRequestException exception, long bodyLimit) => exception.StatusCode switch
    {
        StatusCodes.Status408RequestTimeout => new RouterError(408, "invalid_request_error", "request_timeout",
            "The request body arrived too slowly (below server.minRequestBodyRate); the router stopped waiting for it."),
        StatusCodes.Status413PayloadTooLarge => RouterError.From(Failure.TooLarge(bodyLimit)),
        StatusCodes.Status431RequestHeaderFieldsTooLarge => new RouterError(431, "invalid_request_error", "headers_too_large",
            $"The request's headers are too large ({exception.Message})."),
        400 => RouterError.From(Failure.InvalidRequest($"The request body could not be read: {exception.Message}", code: "invalid_request_body")),
        var status => new RouterError(status, "invalid_request_error", $"http_{status}", $"The request could not be read: {exception.Message}"),
    };
}
