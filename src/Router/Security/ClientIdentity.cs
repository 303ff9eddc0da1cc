using GpuRouter.Configuration;

namespace GpuRouter.Security;

/// <summary>Who is asking, resolved from the API key; kept as a request feature.</summary>
public sealed record ClientIdentity(string Name, ClientSource Source, bool Admin)
{
    public static ClientIdentity From(ClientDefinition d) => new(d.Name, d.Source, d.Admin);
}
