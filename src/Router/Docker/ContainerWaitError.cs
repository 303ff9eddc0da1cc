namespace GpuRouter.Docker;

/// <summary>Set in a wait response when the daemon could not observe the exit.</summary>
internal sealed record ContainerWaitError
{
    public string? Message { get; init; }
}
