namespace GpuRouter.Docker;

/// <summary>The body of <c>POST /containers/{id}/wait</c>, sent when the container stops.</summary>
internal sealed record ContainerWaitResponse
{
    public long StatusCode { get; init; }

    public ContainerWaitError? Error { get; init; }
}
