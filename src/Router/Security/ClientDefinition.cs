using GpuRouter.Configuration;

namespace GpuRouter.Security;

/// <summary>A caller known by the SHA-256 of its key; the plain key is never kept.</summary>
public sealed record ClientDefinition(string Name, ClientSource Source, bool Admin, byte[] KeySha256, int? RequestsPerMinute);
