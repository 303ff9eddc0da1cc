namespace Router.Tests.Usage;

/// <summary>What a usage row must hold for one request, with the token counts the simulator reported.</summary>
internal sealed record ExpectedRow(
    string Client, string? ModelRequested, string? ModelServed, string? Instance, string? Gpu, int Status,
    int PromptTokens, int CompletionTokens)
{
    public static ExpectedRow Of(UsageRow r) =>
        new(r.Client, r.ModelRequested, r.ModelServed, r.Instance, r.Gpu, r.Status, r.PromptTokens, r.CompletionTokens);
}
