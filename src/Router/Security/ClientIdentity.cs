using GpuRouter.Configuration;

namespace GpuRouter.Security;

/// <summary>Who is asking, resolved from the API key; kept as a request feature.</summary>
public sealed record ClientIdentity(string Name, ClientSource Source, bool Admin)
{
    /// <summary>Open WebUI's X-OpenWebUI-User-* headers of this key are recorded.</summary>
    public bool TrustUserHeaders { get; init; }

    /// <summary>Requests the key may have in the router at once; null: no limit.</summary>
    public int? MaxConcurrent { get; init; }

    /// <summary>Tokens per calendar day; null: no budget.</summary>
    public long? TokensPerDay { get; init; }

    public static ClientIdentity From(ClientDefinition d) => new(d.Name, d.Source, d.Admin)
    {
        TrustUserHeaders = d.TrustUserHeaders,
        MaxConcurrent = d.MaxConcurrent,
        TokensPerDay = d.TokensPerDay,
    };
}
