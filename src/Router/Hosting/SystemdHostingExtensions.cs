using Microsoft.Extensions.Hosting.Systemd;

namespace GpuRouter.Hosting;

public static class SystemdHostingExtensions
{
    /// <summary>
    /// systemd's notify protocol through Microsoft.Extensions.Hosting.Systemd: READY=1 once the
    /// application has started (the config loaded, every hosted service started, Kestrel
    /// listening), STOPPING=1 when shutdown begins, and the watchdog's pings.
    /// </summary>
    /// <remarks>
    /// The package switches itself on only when the parent process is named systemd (or the
    /// process is PID 1 with NOTIFY_SOCKET). Its notifier and lifetime are also used whenever
    /// NOTIFY_SOCKET is set, so a container manager and the tests get the same messages.
    /// </remarks>
    public static void UseRouterSystemd(this WebApplicationBuilder builder)
    {
        builder.Services.AddSystemd();
        var socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socket)) return;
        if (!SystemdHelpers.IsSystemdService())
        {
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
        if (WatchdogSettings.From(Environment.GetEnvironmentVariable, Environment.ProcessId) is not { } watchdog) return;
        builder.Services.AddSingleton(watchdog);
        builder.Services.AddSingleton<LivenessProbe>();
        builder.Services.AddSingleton<SystemdWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SystemdWatchdog>());
    }
}
