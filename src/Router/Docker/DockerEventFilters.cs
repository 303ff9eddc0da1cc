namespace GpuRouter.Docker;

/// <summary>
/// What <see cref="IDockerClient.EventsAsync"/> subscribes to. Values inside one filter are
/// ORed, different filters are ANDed (Docker's rule).
/// </summary>
public sealed record DockerEventFilters
{
    /// <summary>Object types, e.g. <c>container</c>.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Actions, e.g. <c>start</c>, <c>die</c>, <c>oom</c>.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Labels to match: a null value matches any value of the key.</summary>
    public IReadOnlyDictionary<string, string?> Labels { get; init; } = new Dictionary<string, string?>();

    /// <summary>Container ids or names.</summary>
    public IReadOnlyList<string> Containers { get; init; } = [];

    /// <summary>
    /// Replays the daemon's buffered events from this time before the live ones. Without it the
    /// stream starts whenever the daemon registers the subscription, so anything done right
    /// after opening it can be missed; a reconnect passes the time of the last event seen.
    /// </summary>
    public DateTimeOffset? Since { get; init; }
}
