namespace GpuRouter.Forwarding;

/// <summary>Token counts the backend reported (zero when it reported none).</summary>
public readonly record struct UsageCounts(int PromptTokens, int CompletionTokens)
{
    public bool Reported => PromptTokens > 0 || CompletionTokens > 0;
}
