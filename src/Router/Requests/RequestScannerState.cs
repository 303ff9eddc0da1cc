namespace GpuRouter.Requests;

/// <summary>
/// What <see cref="RequestScanner"/> has gathered so far. Fields, not properties, because the
/// scanner updates it by reference on every value of a hot path; it never leaves the scan.
/// Token counts are longs so that a hostile body cannot overflow them before they are clamped.
/// </summary>
internal struct RequestScannerState
{
    public string? Model;
    public bool Stream;
    public bool IncludeUsage;

    /// <summary>stream_options is a non-empty object: vLLM's "truthy" test for refusing it without stream.</summary>
    public bool StreamOptionsSet;
    public int? MaxTokens;
    public int? MaxCompletionTokens;

    /// <summary>Tokens of the single sequence a chat or Responses request becomes.</summary>
    public long PromptTokens;

    /// <summary>The longest sequence of a batched request (prompts, inputs, documents).</summary>
    public long LongestSequence;
    public int MessageCount;
    public int ImageCount;
    public int UserMessages;
    public bool FirstUserMessageIsTask;

    /// <summary>The field the endpoint cannot do without (messages, prompt, input, query) was present.</summary>
    public bool SawPrompt;

    /// <summary>Rerank's second required field.</summary>
    public bool SawDocuments;
    public ScanError? Error;

    public void AddSequence(long tokens)
    {
        MessageCount++;
        LongestSequence = Math.Max(LongestSequence, tokens);
    }
}
