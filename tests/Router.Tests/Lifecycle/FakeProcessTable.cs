using GpuRouter.Lifecycle;

namespace Router.Tests.Lifecycle;

/// <summary>A /proc the test writes: pid to command name and cgroup text; unknown pids read as gone.</summary>
internal sealed class FakeProcessTable : IProcessTable
{
    private readonly Dictionary<uint, (string Name, string Cgroup)> _processes = [];

    /// <summary>A process inside a Docker container, with the cgroup v2 path Docker's systemd driver gives it.</summary>
    public FakeProcessTable InContainer(uint pid, string name, string containerId)
    {
        _processes[pid] = (name, $"0::/system.slice/docker-{containerId}.scope\n");
        return this;
    }

    /// <summary>A process started outside Docker, e.g. from someone's shell.</summary>
    public FakeProcessTable OnHost(uint pid, string name)
    {
        _processes[pid] = (name, "0::/user.slice/user-1000.slice/session-4.scope\n");
        return this;
    }

    public string? Name(uint pid) => _processes.TryGetValue(pid, out var p) ? p.Name : null;

    public string? Cgroup(uint pid) => _processes.TryGetValue(pid, out var p) ? p.Cgroup : null;
}
