namespace GpuRouter.Docker;

/// <summary>The body of a 201 from <c>POST /containers/create</c>.</summary>
internal sealed record ContainerCreateResponse
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string>? Warnings { get; init; }
}
