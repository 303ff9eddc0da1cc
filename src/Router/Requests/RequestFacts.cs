namespace GpuRouter.Requests;

/// <summary>
/// What routing needs to know about a request body, read in one pass by
/// <see cref="RequestScanner"/>. When <see cref="Error"/> is set every other value is default
/// and the request must be answered with a 400 instead of being routed.
/// </summary>
internal readonly record struct RequestFacts
{
    public string? Model { get; init; }

    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>: the client wants a final usage chunk.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>
    /// The answer budget the client asked for: <c>max_completion_tokens</c> (preferred, as vLLM
    /// does) or <c>max_tokens</c> for chat, <c>max_tokens</c> for completions,
    /// <c>max_output_tokens</c> for Responses; null when absent. A value too large for an int
    /// reads as <see cref="int.MaxValue"/>, which no context holds.
    /// </summary>
    public int? MaxTokens { get; init; }

    /// <summary>
    /// See <see cref="TokenEstimator"/>. For batched inputs (completion prompts, embedding
    /// inputs, rerank documents) this is the longest single sequence, since each is processed
    /// on its own and the context-fit check is about the largest.
    /// </summary>
    public int EstimatedPromptTokens { get; init; }

    /// <summary>Chat messages, Responses input items, prompts, embedding inputs or rerank documents.</summary>
    public int MessageCount { get; init; }

    /// <summary>
    /// An Open WebUI background task (title, tags, follow-up suggestions): not streamed, and its
    /// only user message starts with <c>### Task:</c>. Such requests may go to a lower priority.
    /// </summary>
    public bool IsOwuiTaskPrompt { get; init; }

    public int ImageCount { get; init; }

    public ScanError? Error { get; init; }

    public bool IsValid => Error is null;

    public static RequestFacts Failed(ScanError error) => new() { Error = error };
}

/// <summary>
/// Why a body was refused, worded as OpenAI words it so that clients' error handling
/// recognises it; <see cref="Param"/> and <see cref="Code"/> fill the same-named fields of the
/// OpenAI error object. Declared here with the facts it belongs to (the scanner's files are
/// the only ones this type may live in).
/// </summary>
internal sealed record ScanError(string Message, string? Param, string? Code);
