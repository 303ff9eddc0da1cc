using VllmSim.Api;

namespace VllmSim.Generation;

/// <summary>vLLM's context check: prompt plus output must fit --max-model-len.</summary>
internal static class ContextWindow
{
    /// <summary>
    /// With max_tokens given, the choice runs to it and finishes with "length". Without, it runs
    /// --default-max-tokens and "stops" (the model emitting its end token), or finishes with
    /// "length" where the context leaves less room than that.
    /// </summary>
    public static ApiError? Fit(int promptTokens, int? requested, SimOptions options, out int outputTokens, out string finishReason)
    {
        var limit = options.MaxModelLen;
        if (requested is { } wanted)
        {
            outputTokens = wanted;
            finishReason = "length";
            return (long)promptTokens + wanted > limit
                ? ApiError.BadRequest(
                    $"This model's maximum context length is {limit} tokens. However, you requested {(long)promptTokens + wanted} tokens " +
                    $"({promptTokens} in the messages, {wanted} in the completion). Please reduce the length of the messages or completion.")
                : null;
        }
        if (promptTokens >= limit)
        {
            outputTokens = 0;
            finishReason = "length";
            return ApiError.BadRequest(
                $"This model's maximum context length is {limit} tokens. However, your request has {promptTokens} input tokens. " +
                "Please reduce the length of the input messages.");
        }
        outputTokens = Math.Min(options.DefaultMaxTokens, limit - promptTokens);
        finishReason = outputTokens == options.DefaultMaxTokens ? "stop" : "length";
        return null;
    }

    /// <summary>Pooling requests (embeddings, rerank) have no output, only the input bound.</summary>
    public static ApiError? FitInput(int tokens, SimOptions options) =>
        tokens > options.MaxModelLen
            ? ApiError.BadRequest(
                $"This model's maximum context length is {options.MaxModelLen} tokens. However, you requested {tokens} tokens " +
                "in the input for embedding generation. Please reduce the length of the input.")
            : null;
}
