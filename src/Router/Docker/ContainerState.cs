using System.Text.Json.Serialization;

namespace GpuRouter.Docker;

/// <summary>A container's run state as inspect reports it.</summary>
public sealed record ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>.</summary>
    public string Status { get; init; } = "";

    public bool Running { get; init; }

    public bool Restarting { get; init; }

    /// <summary>True when the kernel's OOM killer ended the container (a cgroup limit, not GPU memory).</summary>
    [JsonPropertyName("OOMKilled")]
    public bool OomKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    /// <summary>Why the daemon could not start or run the container; empty otherwise.</summary>
    public string Error { get; init; } = "";

    /// <summary>Null while the container has never started (Docker sends year 1).</summary>
    [JsonConverter(typeof(DockerTimestampConverter))]
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Null while the container has never finished (Docker sends year 1).</summary>
    [JsonConverter(typeof(DockerTimestampConverter))]
    public DateTimeOffset? FinishedAt { get; init; }
}
