using System.Globalization;

namespace GpuRouter.Docker;

/// <summary>
/// One event from the daemon, e.g. a container's <c>start</c>, <c>die</c>, <c>oom</c> or
/// <c>stop</c>. <see cref="Attributes"/> holds the container's labels together with Docker's own
/// keys (<c>name</c>, <c>image</c>, and <c>exitCode</c> on <c>die</c>).
/// </summary>
public sealed record DockerEvent(
    string Type,
    string Action,
    string ActorId,
    IReadOnlyDictionary<string, string> Attributes,
    DateTimeOffset Time)
{
    /// <summary>The exit code a <c>die</c> event carries; null on other events.</summary>
    public int? ExitCode =>
        Attributes.TryGetValue("exitCode", out var text)
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
            ? code
            : null;

    /// <summary>The container's name without Docker's leading slash, when the event names one.</summary>
    public string? Name => Attributes.TryGetValue("name", out var name) ? name : null;
}
