namespace GpuRouter.Usage;

/// <summary>Running totals of one client and model; updated from many request threads at once.</summary>
internal sealed class UsageCounter
{
    private long _requests;
    private long _errors;
    private long _promptTokens;
    private long _completionTokens;

    public void Add(in UsageEvent e)
    {
        Interlocked.Increment(ref _requests);
        if (e.IsError) Interlocked.Increment(ref _errors);
        if (e.PromptTokens != 0) Interlocked.Add(ref _promptTokens, e.PromptTokens);
        if (e.CompletionTokens != 0) Interlocked.Add(ref _completionTokens, e.CompletionTokens);
    }

    public UsageRow Row(string key, string? detail) => new(
        key, detail, Interlocked.Read(ref _requests), Interlocked.Read(ref _errors),
        Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _completionTokens));

    public UsageTotal Read(string client, string model) => new(
        client, model, Interlocked.Read(ref _requests), Interlocked.Read(ref _errors),
        Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _completionTokens));
}
