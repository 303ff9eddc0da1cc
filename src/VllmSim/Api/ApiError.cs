namespace VllmSim.Api;

/// <summary>An expected failure of a request, written once as vLLM's error JSON.</summary>
/// <param name="TypeName">The type as written when it is not the status's usual one (FastAPI's own errors say "Bad Request").</param>
internal sealed record ApiError(int Status, string Message, string? Param = null, string? TypeName = null)
{
    /// <summary>vLLM names the type after the HTTP status, as the OpenAI client's exception classes.</summary>
    public string Type => TypeName ?? Status switch
    {
        400 => "BadRequestError",
        404 => "NotFoundError",
        413 => "RequestEntityTooLarge",
        503 => "ServiceUnavailableError",
        _ when Status >= 500 => "InternalServerError",
        _ => "BadRequestError",
    };

    public static ApiError BadRequest(string message, string? param = null) => new(400, message, param);

    public static ApiError ModelNotFound(string model) => new(404, $"The model `{model}` does not exist.", "model");
}
