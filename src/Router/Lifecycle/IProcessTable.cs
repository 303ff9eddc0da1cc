namespace GpuRouter.Lifecycle;

/// <summary>
/// What the host says about a process NVML lists on a GPU: its command name, and its cgroup,
/// which names the Docker container it runs in. Behind an interface so tests need no real /proc.
/// </summary>
internal interface IProcessTable
{
    /// <summary>The process's command name; null when it is gone or cannot be read.</summary>
    string? Name(uint pid);

    /// <summary>The text of its cgroup membership; null when it is gone or cannot be read.</summary>
    string? Cgroup(uint pid);
}
