namespace GpuRouter.Requests;

/// <summary>The OpenAI-style endpoint a body was posted to; it decides which fields carry the prompt.</summary>
public enum EndpointKind
{
    ChatCompletions,
    Completions,
    Responses,
    Embeddings,
    Rerank,
}
