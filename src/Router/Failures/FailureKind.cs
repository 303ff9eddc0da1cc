namespace GpuRouter.Failures;

/// <summary>
/// What kind of thing went wrong, in the router's words. The HTTP layer alone turns a kind into a
/// status and an OpenAI error type (<c>RouterError.From</c>).
/// </summary>
public enum FailureKind
{
    /// <summary>The caller's request is malformed or cannot be served as asked.</summary>
    InvalidRequest,

    /// <summary>No key, or a key the router does not know.</summary>
    Unauthenticated,

    /// <summary>The caller is known but may not do this.</summary>
    Forbidden,

    /// <summary>The named thing (model, instance, route) does not exist.</summary>
    NotFound,

    /// <summary>The request is larger than the router accepts.</summary>
    TooLarge,

    /// <summary>The caller is over its own rate.</summary>
    RateLimited,

    /// <summary>The router or a backend cannot serve it now; retry later.</summary>
    Unavailable,

    /// <summary>A backend stopped answering.</summary>
    Timeout,
}
