namespace GpuRouter.Lifecycle;

/// <summary>
/// Reads /proc/&lt;pid&gt;/comm and /proc/&lt;pid&gt;/cgroup. Both are readable by any user unless
/// /proc is mounted with hidepid (or the unit sets ProtectProc=invisible), so the router's own
/// account can tell its containers' processes from others'. NVML reports host PIDs, which match
/// /proc as long as the router runs on the host, as systemd runs it.
/// </summary>
internal sealed class ProcFsProcessTable(string root = "/proc") : IProcessTable
{
    public static ProcFsProcessTable Instance { get; } = new();

    public string? Name(uint pid) => Read(pid, "comm")?.Trim();

    public string? Cgroup(uint pid) => Read(pid, "cgroup");

    private string? Read(uint pid, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(root, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited between NVML's list and this read, or is hidden from us: unknown.
            return null;
        }
    }
}
