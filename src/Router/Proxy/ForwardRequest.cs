namespace GpuRouter.Proxy;

/// <summary>What to forward where. The body is the client's bytes, already read and checked.</summary>
public readonly record struct ForwardRequest(Uri Destination, ReadOnlyMemory<byte> Body, TimeSpan IdleTimeout);
