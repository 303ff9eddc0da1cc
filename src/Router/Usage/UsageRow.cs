namespace GpuRouter.Usage;

/// <summary>One row of GET /admin/usage?by=...: a client, a model or a user, with what it used.</summary>
/// <param name="Key">The client, the served model, or the user id.</param>
/// <param name="Detail">The model of a client-and-model row; a user's latest name; otherwise null.</param>
internal sealed record UsageRow(string Key, string? Detail, long Requests, long Errors, long PromptTokens, long CompletionTokens);
