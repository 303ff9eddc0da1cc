using System.Globalization;

namespace GpuRouter.Hosting;

/// <summary>
/// systemd's watchdog as the service manager hands it over: <c>WATCHDOG_USEC</c> is the time
/// within which it wants a ping, <c>WATCHDOG_PID</c> (when set) the process it wants it from.
/// The router pings at half that time, as sd_watchdog_enabled(3) advises.
/// </summary>
internal sealed record WatchdogSettings(TimeSpan Timeout)
{
    public TimeSpan PingInterval => Timeout / 2;

    /// <summary>How long the probe's request to /health may take: it must finish well inside one interval.</summary>
    public TimeSpan RequestBound => Min(TimeSpan.FromSeconds(5), PingInterval / 2);

    /// <summary>How long an instance owner's lock may take to get: owners hold it for microseconds.</summary>
    public TimeSpan LockBound => Min(TimeSpan.FromSeconds(1), PingInterval / 4);

    /// <summary>Null when no watchdog is asked for, or it is meant for another process.</summary>
    public static WatchdogSettings? From(Func<string, string?> environment, int processId)
    {
        if (!long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
            return null;
        var pid = environment("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != processId.ToString(CultureInfo.InvariantCulture)) return null;
        return new WatchdogSettings(TimeSpan.FromMicroseconds(usec));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
