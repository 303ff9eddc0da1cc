namespace GpuRouter.Docker;

/// <summary>One entry of <c>GET /containers/json</c>.</summary>
public sealed record ContainerSummary
{
    public string Id { get; init; } = "";

    /// <summary>Names with a leading slash, as Docker lists them.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    public string Image { get; init; } = "";

    /// <summary>The short state: <c>created</c>, <c>running</c>, <c>exited</c>, ...</summary>
    public string State { get; init; } = "";

    /// <summary>The human text, e.g. <c>Up 3 minutes</c> or <c>Exited (3) 2 seconds ago</c>.</summary>
    public string Status { get; init; } = "";

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Creation time in Unix seconds.</summary>
    public long Created { get; init; }
}
