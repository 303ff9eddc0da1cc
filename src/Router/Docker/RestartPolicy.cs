namespace GpuRouter.Docker;

/// <summary>Docker's restart policy. The router owns the lifecycle, so it sends <c>no</c>.</summary>
public sealed record RestartPolicy
{
    /// <summary><c>no</c>, <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c>; inspect may read back an empty name for <c>no</c>.</summary>
    public string Name { get; init; } = "no";

    public int? MaximumRetryCount { get; init; }
}
