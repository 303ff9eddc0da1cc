using GpuRouter.Configuration;

namespace GpuRouter.Security;

/// <summary>A caller known by the SHA-256 of its key; the plain key is never kept.</summary>
public sealed record ClientDefinition(string Name, ClientSource Source, bool Admin, byte[] KeySha256, int? RequestsPerMinute)
{
    /// <summary>Record Open WebUI's X-OpenWebUI-User-Id and -Name for this key's requests (easy to forge: only for Open WebUI's key).</summary>
    public bool TrustUserHeaders { get; init; }

    /// <summary>The model names (or aliases) this key may send; null: every model. A model name brings its aliases.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Requests of this key the router may hold at once (queued or in flight, all instances); null: no limit.</summary>
    public int? MaxConcurrent { get; init; }

    /// <summary>Prompt plus completion tokens per calendar day in schedule.timeZone; null: no budget.</summary>
    public long? TokensPerDay { get; init; }
}
