namespace GpuRouter.Docker;

/// <summary>The bounds of an engine client's calls (see <see cref="DockerOptions"/> for each).</summary>
internal sealed record DockerTimeouts(TimeSpan Request, TimeSpan Connect, TimeSpan StopMargin);
