namespace GpuRouter.Routing;
public enum EndpointKind { ChatCompletions, Completions, Responses, Embeddings, Rerank }
internal sealed record ScanError(string Message, string? Param);
internal readonly record struct RequestFacts(string? Model, bool Stream, int? MaxTokens, int EstimatedPromptTokens, bool IsOwuiTaskPrompt, ScanError? Error);
internal static class RequestScanner { public static RequestFacts Scan(ReadOnlySpan<byte> b, EndpointKind k) => default; }
