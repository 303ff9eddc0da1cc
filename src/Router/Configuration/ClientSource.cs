namespace GpuRouter.Configuration;

/// <summary>Where a client's requests come from (<c>clients[].source</c>): Security reads it from the key, Routing picks the GPU by it.</summary>
public enum ClientSource { Interactive, Batch }
