namespace GpuRouter.Forwarding;

/// <summary>What to forward where. The body is the client's bytes, already read and checked.</summary>
/// <param name="ArrivedAt">When the client's request arrived (a TimeProvider timestamp): time to first token counts from there.</param>
/// <param name="BackendKey">The backend's API key, sent as <c>Authorization: Bearer</c> (the client's own Authorization never crosses); null: none.</param>
public readonly record struct ForwardRequest(Uri Destination, ReadOnlyMemory<byte> Body, TimeSpan IdleTimeout, long ArrivedAt, string? BackendKey = null);
