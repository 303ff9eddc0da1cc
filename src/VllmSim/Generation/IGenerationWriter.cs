namespace VllmSim.Generation;

/// <summary>One response format (chat, completions, responses; streamed or whole) fed token by token.</summary>
internal interface IGenerationWriter : IDisposable
{
    /// <summary>Called before the request waits for a slot; a stream sends its headers here.</summary>
    Task BeginAsync(CancellationToken ct);

    /// <summary>One token of one choice; <paramref name="last"/> marks the choice's final token.</summary>
    void Token(ChoicePlan choice, int position, string text, bool last);

    /// <summary>Ends an engine step; a stream pushes its chunks. False when the client is gone.</summary>
    ValueTask<bool> FlushAsync(CancellationToken ct);

    /// <summary>
    /// Usage and the end of the response. <paramref name="aborted"/>: a /sleep ended the request;
    /// choices that had not finished end with finish_reason "abort".
    /// </summary>
    Task EndAsync(int promptTokens, int completionTokens, bool aborted, CancellationToken ct);
}
