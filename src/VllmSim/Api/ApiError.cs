namespace VllmSim.Api;

/// <summary>An expected failure of a request, written once as vLLM's error JSON.</summary>
internal sealed record ApiError(int Status, string Message, string? Param = null)
{
    /// <summary>vLLM names the type after the HTTP status, as the OpenAI client's exception classes.</summary>
    public string Type => Status switch
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
